"""An MOU's whole life, through the pages: drafted with three signatory agencies, reviewed and
approved; two leads sign and one declines with a reason; version 2 resets the signatures, all three
sign, the MOU is fully executed and in force, and its PDF with the signature page opens.
"""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from members.models import Role, Sector
from protocols.models import Document, Status
from tests.factories import AgencyFactory, member_of

TITLE = "Victim referral MOU"
BODY_V1 = "# Purpose\n\nEach agency refers a potential victim to the shelter within **24 hours**."
BODY_V2 = "# Purpose\n\nEach agency refers a potential victim to the shelter within **4 hours**."
DECLINE_REASON = "Our board needs a four-hour referral window, not twenty-four."


def field(form, label):
    """A form field by its whole label (required fields' labels end in an asterisk)."""
    return form.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def open_library(page):
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Protocols & MOUs"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Protocols & MOUs")).to_be_visible()


def open_document(page):
    open_library(page)
    page.get_by_role("table").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()


def expect_message(page, text):
    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_contain_text(text)


def send_for_review_and_approve(page, version_label):
    page.get_by_role("link", name=version_label, exact=True).first.click()
    page.get_by_role("button", name="Send for review").click()
    expect_message(page, "review")
    page.get_by_role("link", name="Approve…").click()
    expect(
        page.get_by_role("heading", level=1, name=f"Approve {version_label.lower()} of “{TITLE}”")
    ).to_be_visible()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect_message(page, "approved")


def sign_from_my_list(page, agency):
    open_library(page)
    page.get_by_role("link", name="Needs my signature").click()
    page.get_by_role("link", name=f"Sign {TITLE} for {agency.name}").click()
    form = page.get_by_role("main")
    expect(form.get_by_label("Your full name")).not_to_be_empty()
    form.get_by_label(f"I am authorised to sign this MOU for {agency.name}.").check()
    form.get_by_role("button", name=f"Sign for {agency.name}").click()
    expect_message(page, "signed")


def test_an_mou_from_draft_to_fully_executed_with_its_signature_page(
    live_server,
    transactional_db,
    settings,
    tmp_path,
    signed_in,
    task_force,
    agency,
    other_agency,
    coordinator,
    lead,
    lead_other,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    labour = AgencyFactory(task_force=task_force, name="State Labour Inspectorate", sector=Sector.LABOUR)
    lead_labour = member_of(labour, Role.AGENCY_LEAD, full_name="Lina Labour", job_title="Chief Inspector")
    signers = [(lead, agency), (lead_other, other_agency), (lead_labour, labour)]

    # 1. The coordinator drafts the MOU and names its three signatory agencies.
    coordinator_page = signed_in(coordinator)
    open_library(coordinator_page)
    coordinator_page.get_by_role("link", name="New document").click()
    form = coordinator_page.get_by_role("main")
    form.get_by_label("Kind").select_option(label="MOU")
    field(form, "Title").fill(TITLE)
    field(form, "Summary").fill("How the sheriff, the shelter and the inspectorate refer victims.")
    field(form, "Text").fill(BODY_V1)
    form.get_by_role("button", name="Save as a draft").click()
    expect(coordinator_page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()

    coordinator_page.get_by_role("link", name="Version 1", exact=True).first.click()
    coordinator_page.get_by_role("link", name="Signatory agencies", exact=True).click()
    for _, signing_agency in signers:
        field(coordinator_page, "Agency").select_option(label=signing_agency.name)
        coordinator_page.get_by_role("button", name="Add the agency").click()
        expect_message(coordinator_page, signing_agency.name)
    expect(coordinator_page.get_by_role("table").get_by_role("row")).to_have_count(1 + 3)

    # 2. Review and approval.
    open_document(coordinator_page)
    send_for_review_and_approve(coordinator_page, "Version 1")

    # 3. Two leads sign; the shelter's lead declines with a reason.
    sign_from_my_list(signed_in(lead), agency)
    sign_from_my_list(signed_in(lead_labour), labour)
    shelter_page = signed_in(lead_other)
    open_library(shelter_page)
    shelter_page.get_by_role("link", name="Needs my signature").click()
    shelter_page.get_by_role("link", name=f"Decline {TITLE} for {other_agency.name}").click()
    shelter_page.get_by_label("Why the agency declines").fill(DECLINE_REASON)
    shelter_page.get_by_role("button", name=f"Decline for {other_agency.name}").click()
    expect_message(shelter_page, "declined")
    open_document(shelter_page)
    expect(shelter_page.get_by_role("main")).to_contain_text(DECLINE_REASON)

    # 4. Version 2 answers the shelter: its signatures start again, version 1 is superseded.
    open_document(coordinator_page)
    coordinator_page.get_by_role("link", name="Start a new version").first.click()
    form = coordinator_page.get_by_role("main")
    field(form, "Text").fill(BODY_V2)
    field(form, "Change summary").fill("Referral within four hours, as the shelter asked.")
    form.get_by_role("button", name="Start the draft").click()
    expect_message(coordinator_page, "Version 2")
    open_document(coordinator_page)
    send_for_review_and_approve(coordinator_page, "Version 2")

    document = Document.objects.get(title=TITLE)
    v1, v2 = document.versions.order_by("number")
    assert v1.status == Status.SUPERSEDED
    assert set(v2.signatories.values_list("status", flat=True)) == {"pending"}

    # 5. All three sign version 2: it is fully executed and in force.
    for user, signing_agency in signers:
        sign_from_my_list(signed_in(user), signing_agency)

    open_document(coordinator_page)
    main = coordinator_page.get_by_role("main")
    expect(main).to_contain_text("Fully executed")
    expect(main.get_by_text("In force", exact=True).first).to_be_visible()
    document.refresh_from_db()
    assert document.status == Status.IN_FORCE and document.current_version == v2

    # 6. The PDF with its signature page is made by the exports engine (at once here: Celery runs
    # eagerly when the request commits), then downloads from the export's page and opens.
    coordinator_page.get_by_role("link", name="Version 2", exact=True).first.click()
    coordinator_page.get_by_role("group", name="Version actions").get_by_role("button", name="PDF").click()
    expect(coordinator_page).to_have_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
    expect(coordinator_page.get_by_role("heading", level=1)).to_have_text(f"{TITLE}, version 2")
    ready = coordinator_page.get_by_role("status").filter(has_text="Your PDF is ready.")
    expect(ready).to_be_visible()
    with coordinator_page.expect_download() as download_info:
        ready.get_by_role("link", name="Download victim-referral-mou-v2.pdf").click()
    assert download_info.value.suggested_filename == "victim-referral-mou-v2.pdf"
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert TITLE in text and "4 hours" in text
    signature_page = " ".join(pdf.pages[-1].extract_text().split())
    for user, signing_agency in signers:
        assert signing_agency.name in signature_page
        assert user.full_name in signature_page
