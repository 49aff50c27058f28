// Drag-and-drop reordering of an agenda for mouse users. The Move up / Move down buttons do the
// same without JavaScript, so keyboard and screen-reader users never depend on this file.
// The list carries data-reorder-url; each item carries data-code. The new order is posted as
// repeated "item" fields with the CSRF token the page puts in the body's hx-headers.
(function () {
  "use strict";

  var dragged = null;
  var orderBefore = "";

  function list() {
    return document.querySelector("[data-reorder-url]");
  }

  function items(container) {
    return Array.prototype.filter.call(container.children, function (child) {
      return child.hasAttribute("data-code");
    });
  }

  function order(container) {
    return items(container).map(function (item) { return item.getAttribute("data-code"); });
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function announce(text, failed) {
    var status = document.getElementById("agenda-reorder-status");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("text-danger", Boolean(failed));
  }

  // Fetch the page again and swap in the fresh list (numbers, planned times, Move buttons).
  function refresh(container) {
    return fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById(container.id);
        var summary = page.getElementById("agenda-summary");
        if (fresh) container.replaceWith(fresh);
        var current = document.getElementById("agenda-summary");
        if (summary && current) current.replaceWith(summary);
      });
  }

  function save(container) {
    var body = new URLSearchParams();
    order(container).forEach(function (code) { body.append("item", code); });
    announce("Saving the new order…");
    fetch(container.getAttribute("data-reorder-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) throw new Error(data.error || "The new order could not be saved.");
        });
      })
      .then(function () {
        return refresh(container).then(function () { announce("The new order is saved."); });
      })
      .catch(function (error) {
        announce(error.message + " The agenda shows the saved order again.", true);
        refresh(container);
      });
  }

  document.addEventListener("dragstart", function (event) {
    var container = list();
    var item = event.target.closest && event.target.closest("[data-code]");
    if (!container || !item || item.parentElement !== container) return;
    dragged = item;
    orderBefore = order(container).join(",");
    item.classList.add("opacity-50");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
  });

  document.addEventListener("dragover", function (event) {
    var container = list();
    if (!dragged || !container) return;
    var target = event.target.closest && event.target.closest("[data-code]");
    if (!target || target === dragged || target.parentElement !== container) return;
    event.preventDefault();
    var box = target.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    container.insertBefore(dragged, after ? target.nextSibling : target);
  });

  document.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });

  document.addEventListener("dragend", function () {
    var container = list();
    if (!dragged || !container) return;
    dragged.classList.remove("opacity-50");
    dragged = null;
    if (order(container).join(",") !== orderBefore) save(container);
  });
})();
