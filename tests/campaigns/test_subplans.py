"""Sub-plan workflow: transitions, late marking, versions, file validation, scoping."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.constants import SUBPLAN_MAX_BYTES
from campaigns.models import SubPlan, SubPlanEvent
from campaigns.subplans.services import (
    subplan_add_version,
    subplan_approve,
    subplan_create,
    subplan_return,
    subplan_submit,
)
from yixian_safety.uploads import OLE2_MAGIC

pytestmark = pytest.mark.django_db

DUE = datetime.date(2024, 3, 15)


def make(user, pdf, **kw):
    return subplan_create(
        actor=user,
        title="碧阳镇子实施方案",
        summary="目标任务和分工",
        contact_name="联系人",
        contact_phone="0559-5500001",
        document=pdf(),
        **kw,
    )


def test_created_as_draft_with_first_version_and_due_date(users, pdf):
    sp = make(users["township"], pdf)
    assert sp.status == SubPlan.Status.DRAFT
    assert sp.township == users["township"].township and sp.department is None
    assert sp.due_on == DUE
    assert sp.versions.get().number == 1
    assert sp.versions.get().kind == "pdf"


def test_full_workflow_records_who_when_why(users, pdf):
    tw, office = users["township"], users["office"]
    sp = make(tw, pdf)
    subplan_submit(sub_plan=sp, actor=tw, today=DUE)
    subplan_return(sub_plan=sp, actor=office, comment="请补充时间节点")
    subplan_submit(sub_plan=sp, actor=tw, document=pdf("v2.pdf", "v2"))
    sp = subplan_approve(sub_plan=sp, actor=office)
    assert sp.status == SubPlan.Status.APPROVED
    actions = list(sp.events.values_list("action", "actor__username"))
    assert actions == [
        ("created", "tw_biyang"),
        ("submitted", "tw_biyang"),
        ("returned", "office"),
        ("resubmitted", "tw_biyang"),
        ("approved", "office"),
    ]
    assert sp.events.get(action=SubPlanEvent.Action.RETURNED).comment == "请补充时间节点"
    assert sp.versions.count() == 2


def test_versions_are_never_overwritten(users, pdf):
    tw = users["township"]
    sp = make(tw, pdf)
    subplan_add_version(sub_plan=sp, actor=tw, document=pdf("same-name.pdf", "second"))
    v1, v2 = sp.versions.order_by("number")
    assert v1.file.name != v2.file.name
    assert v1.file.read() != v2.file.read()
    assert v1.sha256 != v2.sha256


@pytest.mark.parametrize("status_path", ["approve", "return", "resubmit_without_file"])
def test_illegal_transitions_are_refused(users, pdf, status_path):
    tw, office = users["township"], users["office"]
    sp = make(tw, pdf)
    with pytest.raises(ValidationError):
        if status_path == "approve":
            subplan_approve(sub_plan=sp, actor=office)  # a draft cannot be approved
        elif status_path == "return":
            subplan_return(sub_plan=sp, actor=office, comment="x")
        else:
            subplan_submit(sub_plan=sp, actor=tw)
            subplan_return(sub_plan=sp, actor=office, comment="改")
            subplan_submit(sub_plan=sp, actor=tw)  # needs the revised document
    sp = SubPlan.objects.get(pk=sp.pk)  # protected FSM fields cannot refresh_from_db
    assert sp.status in (SubPlan.Status.DRAFT, SubPlan.Status.RETURNED)


def test_approved_sub_plan_cannot_be_submitted_again(users, pdf):
    tw, office = users["township"], users["office"]
    sp = make(tw, pdf)
    subplan_submit(sub_plan=sp, actor=tw)
    subplan_approve(sub_plan=sp, actor=office)
    with pytest.raises(ValidationError):
        subplan_submit(sub_plan=sp, actor=tw, document=pdf())


def test_return_needs_a_comment(users, pdf):
    sp = make(users["township"], pdf)
    subplan_submit(sub_plan=sp, actor=users["township"])
    with pytest.raises(ValidationError):
        subplan_return(sub_plan=sp, actor=users["office"], comment="  ")


def test_status_is_protected(users, pdf):
    sp = make(users["township"], pdf)
    with pytest.raises(AttributeError):
        sp.status = SubPlan.Status.APPROVED


def test_late_submission_is_marked_not_refused(users, pdf):
    tw = users["township"]
    sp = make(tw, pdf)
    sp = subplan_submit(sub_plan=sp, actor=tw, today=DUE + datetime.timedelta(days=12))
    assert sp.status == SubPlan.Status.SUBMITTED
    assert sp.is_late
    annotated = SubPlan.objects.with_days_late(datetime.date(2026, 1, 1)).get(pk=sp.pk)
    assert annotated.days_late == 12


def test_on_time_submission_is_not_late(users, pdf):
    tw = users["township"]
    sp = subplan_submit(sub_plan=make(tw, pdf), actor=tw, today=DUE)
    assert not sp.is_late
    assert SubPlan.objects.with_days_late(DUE).get(pk=sp.pk).days_late == 0


def test_unsubmitted_counts_days_late_until_today(users, pdf):
    sp = make(users["township"], pdf)
    assert (
        SubPlan.objects.with_days_late(DUE + datetime.timedelta(days=5)).get(pk=sp.pk).days_late
        == 5
    )


def test_township_official_cannot_approve(users, pdf):
    tw = users["township"]
    sp = subplan_submit(sub_plan=make(tw, pdf), actor=tw)
    with pytest.raises(PermissionDenied):
        subplan_approve(sub_plan=sp, actor=tw)


def test_other_unit_cannot_submit(users, pdf):
    sp = make(users["township"], pdf)
    with pytest.raises(PermissionDenied):
        subplan_submit(sub_plan=sp, actor=users["other_township"])


def test_office_cannot_create_a_sub_plan(users, pdf):
    with pytest.raises(PermissionDenied):
        make(users["office"], pdf)


def test_one_campaign_sub_plan_per_unit(users, pdf):
    make(users["township"], pdf)
    with pytest.raises(ValidationError):
        make(users["township"], pdf)


def test_department_sector_sub_plan_only_for_led_sectors(users, pdf):
    from campaigns.models import Sector

    dept = users["department"]
    gas = Sector.objects.get(name="燃气安全")
    fire = Sector.objects.get(name="消防安全")
    assert make(dept, pdf, sector=gas).sector == gas
    with pytest.raises(ValidationError):
        make(dept, pdf, sector=fire)


# --- file validation by content ------------------------------------------------------------


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("a.docx", _docx_bytes(), "docx"),
        ("a.doc", OLE2_MAGIC + b"\0" * 600, "doc"),
        ("a.wps", OLE2_MAGIC + b"\0" * 600, "doc"),
    ],
)
def test_word_and_wps_accepted_by_content(users, pdf, name, content, kind):
    tw = users["township"]
    sp = make(tw, pdf)
    version = subplan_add_version(sub_plan=sp, actor=tw, document=SimpleUploadedFile(name, content))
    assert version.kind == kind


@pytest.mark.parametrize(
    "name,content",
    [
        ("fake.pdf", b"MZ\x90\x00 this is an exe"),
        ("fake.docx", b"PK\x03\x04 not really a zip"),
        ("sheet.docx", None),  # a zip without word/ entries (e.g. an .xlsx renamed)
        ("photo.pdf", b"\x89PNG\r\n\x1a\n...."),
        ("plan.txt", b"%PDF-1.4 but the name says text"),
    ],
)
def test_files_are_rejected_by_content_with_a_chinese_message(users, pdf, name, content):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
        content = buffer.getvalue()
    tw = users["township"]
    sp = make(tw, pdf)
    with pytest.raises(ValidationError) as info:
        subplan_add_version(sub_plan=sp, actor=tw, document=SimpleUploadedFile(name, content))
    assert "PDF" in info.value.messages[0] and name in info.value.messages[0]
    assert sp.versions.count() == 1


def test_oversized_file_is_rejected(users, pdf, settings):
    tw = users["township"]
    sp = make(tw, pdf)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * SUBPLAN_MAX_BYTES)
    with pytest.raises(ValidationError) as info:
        subplan_add_version(sub_plan=sp, actor=tw, document=big)
    assert "20.0" in info.value.messages[0]


def test_bad_file_on_create_saves_nothing(users):
    with pytest.raises(ValidationError):
        subplan_create(
            actor=users["township"],
            title="t",
            summary="s",
            contact_name="c",
            contact_phone="1",
            document=SimpleUploadedFile("x.pdf", b"nope"),
        )
    assert not SubPlan.objects.exists()


# --- pages: scoping matrix -----------------------------------------------------------------


@pytest.fixture
def township_plan(users, pdf):
    tw = users["township"]
    sp = make(tw, pdf)
    return subplan_submit(sub_plan=sp, actor=tw)


@pytest.fixture
def department_plan(users, pdf):
    dept = users["department"]
    sp = make(dept, pdf)
    return subplan_submit(sub_plan=sp, actor=dept)


@pytest.mark.parametrize(
    "who,township_code,department_code",
    [
        ("township", 200, 404),
        ("other_township", 404, 404),
        ("department", 404, 200),
        ("other_department", 404, 404),
        ("office", 200, 200),
        ("admin", 200, 200),
    ],
)
def test_scoping_matrix_detail_and_download(
    client, users, township_plan, department_plan, who, township_code, department_code
):
    client.force_login(users[who])
    for sp, code in ((township_plan, township_code), (department_plan, department_code)):
        assert client.get(reverse("campaigns:subplan", args=[sp.pk])).status_code == code
        response = client.get(reverse("campaigns:subplan_version_download", args=[sp.pk, 1]))
        assert response.status_code == code
        if code == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_township_official_posting_approve_gets_403(client, users, township_plan):
    client.force_login(users["township"])
    response = client.post(reverse("campaigns:subplan_approve", args=[township_plan.pk]))
    assert response.status_code == 403
    assert SubPlan.objects.get(pk=township_plan.pk).status == SubPlan.Status.SUBMITTED


def test_other_township_posting_approve_gets_404(client, users, township_plan):
    client.force_login(users["other_township"])
    response = client.post(reverse("campaigns:subplan_approve", args=[township_plan.pk]))
    assert response.status_code == 404


def test_office_sees_every_unit_on_the_board(client, users, township_plan):
    client.force_login(users["office"])
    html = client.get(reverse("campaigns:subplans")).content.decode()
    for name in ("碧阳镇", "宏村镇", "县住建局", "县消防救援大队"):
        assert name in html
    assert "未开始" in html or "未提交" in html


def test_township_board_lists_only_its_own(client, users, township_plan, department_plan):
    client.force_login(users["other_township"])
    html = client.get(reverse("campaigns:subplans")).content.decode()
    assert township_plan.title not in html


def test_create_page_saves_draft_and_shows_chinese_error_for_bad_file(client, users):
    client.force_login(users["township"])
    data = {
        "title": "碧阳镇方案",
        "summary": "摘要",
        "contact_name": "张",
        "contact_phone": "1",
        "document": SimpleUploadedFile("fake.pdf", b"not a pdf"),
    }
    response = client.post(reverse("campaigns:subplan_new"), data)
    assert response.status_code == 200
    assert "检查" in response.content.decode() or "PDF" in response.content.decode()
    assert not SubPlan.objects.exists()


def test_board_export_is_xlsx_and_scoped(client, users, township_plan):
    from openpyxl import load_workbook

    client.force_login(users["office"])
    response = client.get(reverse("campaigns:subplans_export"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "碧阳镇" in values and "宏村镇" in values
    client.force_login(users["other_township"])
    ws = load_workbook(io.BytesIO(client.get(reverse("campaigns:subplans_export")).content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert township_plan.title not in values


def test_board_query_count_does_not_grow_with_sub_plans(
    client, users, pdf, django_assert_max_num_queries
):
    from campaigns.models import Township, User

    client.force_login(users["office"])
    make(users["township"], pdf)
    for township in Township.objects.exclude(pk=users["township"].township_id)[:4]:
        official = User.objects.create(
            username=f"tw_x_{township.code}", role="township_official", township=township
        )
        from django.contrib.auth.models import Group

        official.groups.set(Group.objects.filter(name="township_official"))
        make(official, pdf)
    # 15 for the board + a constant 7 for its not-submitted progress list (campaign, cadences
    # twice, tasks and their departments, reports of the period, townships) — issue 17
    with django_assert_max_num_queries(22):
        assert client.get(reverse("campaigns:subplans")).status_code == 200


def test_office_posting_submit_for_a_unit_gets_403(client, users, pdf):
    sp = make(users["township"], pdf)
    client.force_login(users["office"])
    response = client.post(reverse("campaigns:subplan_submit", args=[sp.pk]))
    assert response.status_code == 403
    assert SubPlan.objects.get(pk=sp.pk).status == SubPlan.Status.DRAFT


def test_returned_comment_and_both_versions_show_on_the_page(client, users, pdf):
    tw, office = users["township"], users["office"]
    sp = subplan_submit(sub_plan=make(tw, pdf), actor=tw)
    subplan_return(sub_plan=sp, actor=office, comment="请补充应急预案")
    subplan_add_version(sub_plan=sp, actor=tw, document=pdf("修改稿.pdf", "v2"))
    client.force_login(tw)
    html = client.get(reverse("campaigns:subplan", args=[sp.pk])).content.decode()
    assert "请补充应急预案" in html and "修改稿.pdf" in html and "退回修改" in html
    response = client.post(reverse("campaigns:subplan_submit", args=[sp.pk]), follow=True)
    assert "已重新报送" in response.content.decode()


# --- issue 18: 新建 only while a sub-plan is still to create; revision of an approved one ----


def test_new_is_not_offered_to_a_unit_that_already_has_its_sub_plan(client, users, pdf):
    tw = users["township"]
    client.force_login(tw)
    assert (
        reverse("campaigns:subplan_new")
        in client.get(reverse("campaigns:subplans")).content.decode()
    )
    make(tw, pdf)
    page = client.get(reverse("campaigns:subplans")).content.decode()
    assert reverse("campaigns:subplan_new") not in page
    response = client.get(reverse("campaigns:subplan_new"), follow=True)
    assert response.redirect_chain and "已有该子实施方案" in response.content.decode()


def test_a_department_with_its_campaign_sub_plan_is_still_offered_its_sector_sub_plans(
    client, users, pdf
):
    from campaigns.models import Sector

    dept = users["department"]
    make(dept, pdf)
    client.force_login(dept)
    assert (
        reverse("campaigns:subplan_new")
        in client.get(reverse("campaigns:subplans")).content.decode()
    )
    form = client.get(reverse("campaigns:subplan_new")).context["form"]
    assert form.fields["sector"].required  # the campaign sub-plan exists: a sector it must be
    led = set(Sector.objects.filter(lead_departments=dept.department_id))
    assert set(form.fields["sector"].queryset) == led


def _approved(users, pdf):
    tw, office = users["township"], users["office"]
    sp = make(tw, pdf)
    subplan_submit(sub_plan=sp, actor=tw, today=DUE)
    return subplan_approve(sub_plan=sp, actor=office)


def test_an_approved_sub_plan_can_be_revised_and_is_reviewed_again(users, pdf):
    from campaigns.subplans.services import subplan_revise

    tw, office = users["township"], users["office"]
    sp = _approved(users, pdf)
    assert sp.approved_version.number == 1
    sp = subplan_revise(sub_plan=sp, actor=tw, document=pdf("修订稿.pdf"), note="补充燃气专项")
    assert sp.status == SubPlan.Status.REVISION_SUBMITTED
    assert sp.approved_version.number == 1  # the approved one stays in force meanwhile
    sp = subplan_return(sub_plan=sp, actor=office, comment="分工再细化")
    assert sp.status == SubPlan.Status.RETURNED and sp.approved_version.number == 1
    sp = subplan_submit(sub_plan=sp, actor=tw, document=pdf("修订稿2.pdf"))
    sp = subplan_approve(sub_plan=sp, actor=office)
    assert sp.status == SubPlan.Status.APPROVED and sp.approved_version.number == 3
    actions = list(sp.events.values_list("action", flat=True))
    assert SubPlanEvent.Action.REVISED in actions


def test_only_an_approved_sub_plan_is_revised_and_only_by_its_unit(users, pdf):
    from campaigns.subplans.services import subplan_revise

    sp = make(users["township"], pdf)
    with pytest.raises(ValidationError):
        subplan_revise(sub_plan=sp, actor=users["township"], document=pdf())
    other = users["other_township"]
    sp = subplan_submit(sub_plan=make(other, pdf), actor=other, today=DUE)
    sp = subplan_approve(sub_plan=sp, actor=users["office"])
    with pytest.raises(PermissionDenied):
        subplan_revise(sub_plan=sp, actor=users["township"], document=pdf())


def test_the_revise_form_is_on_the_approved_sub_plan_page_and_works(client, users, pdf):
    tw = users["township"]
    sp = _approved(users, pdf)
    client.force_login(tw)
    page = client.get(sp.get_absolute_url()).content.decode()
    assert 'data-testid="revise-form"' in page and 'data-testid="in-force"' in page
    response = client.post(
        reverse("campaigns:subplan_revise", args=[sp.pk]),
        {"document": pdf("修订.pdf")},
        follow=True,
    )
    assert response.status_code == 200
    sp = SubPlan.objects.get(pk=sp.pk)  # (a protected FSM field cannot refresh_from_db)
    assert sp.status == SubPlan.Status.REVISION_SUBMITTED and sp.approved_version.number == 1
    client.force_login(users["office"])
    assert 'data-testid="approve-form"' in client.get(sp.get_absolute_url()).content.decode()


def test_the_admin_sub_plan_page_links_the_scoped_download_not_media(client, users, pdf):
    sp = make(users["township"], pdf)
    client.force_login(users["admin"])
    html = client.get(reverse("admin:campaigns_subplan_change", args=[sp.pk])).content.decode()
    assert reverse("campaigns:subplan_version_download", args=[sp.pk, 1]) in html
    assert "/media/subplans/" not in html
