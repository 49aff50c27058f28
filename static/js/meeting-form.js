// Case coordination meetings are confidential by default: tick the box when that kind is chosen.
document.addEventListener("DOMContentLoaded", function () {
  var kind = document.getElementById("id_kind");
  var confidential = document.getElementById("id_confidential");
  if (!kind || !confidential) return;
  kind.addEventListener("change", function () { if (kind.value === "case") confidential.checked = true; });
});
