"""The sweep: record every due reminder as a Notice (the unique key drops repeats), then deliver
the pending ones, each claimed by a conditional update so that it goes out once."""

import contextlib
import logging
import smtplib
import time
import uuid
import zoneinfo
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, site_url
from taskforce.models import TaskForce

from . import registry
from .models import Channel, Digest, Notice, Preference

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# The weekly digest goes out from this hour on Monday, in each task force's time zone.
DIGEST_HOUR = 7
# Refusals of this one message or recipient: recorded, not retried. Other errors: retried.
PERMANENT_SMTP_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def stale_claim():
    """A notice or digest claimed this long ago and still unsent lost its worker: claim it again.
    Longer than one email can take (EMAIL_TIMEOUT), so a slow send is never doubled."""
    return timedelta(seconds=settings.REMINDERS_CLAIM_TIMEOUT)


def sweep(now=None, batch_size=None):
    """Record what is due, then deliver what is pending, in batches of REMINDERS_BATCH_SIZE."""
    now = now or timezone.now()
    batch_size = batch_size or settings.REMINDERS_BATCH_SIZE
    recorded = record_due(now, batch_size)
    delivered = deliver_pending(now, batch_size)
    return recorded, delivered


# --- recording -------------------------------------------------------------------------------


def record_due(now, batch_size=BATCH_SIZE):
    """Insert a pending notice for each due reminder not yet recorded; the count of rows offered."""
    offered = 0
    for rule in registry.rules():
        content_type = ContentType.objects.get_for_model(rule.model)
        for batch in rule.find(now, batch_size):
            members = _active_members(
                {due.recipient_id for due in batch}, {due.task_force_id for due in batch}
            )
            notices = [
                Notice(
                    rule=rule.name,
                    kind=rule.kind,
                    content_type=content_type,
                    object_id=due.object.pk,
                    recipient_id=due.recipient_id,
                    threshold=due.threshold,
                    task_force_id=due.task_force_id,
                )
                for due in batch
                if (due.recipient_id, due.task_force_id) in members
            ]
            Notice.objects.bulk_create(notices, ignore_conflicts=True)
            offered += len(notices)
    return offered


def _active_members(user_ids, task_force_ids):
    """{(user id, task force id)} of active people with an active membership (one query)."""
    return set(
        Membership.objects.active()
        .filter(user_id__in=user_ids, task_force_id__in=task_force_ids, user__is_active=True)
        .values_list("user_id", "task_force_id")
    )


# --- delivering ------------------------------------------------------------------------------


def _deliverable(now):
    return Q(status=Notice.Status.PENDING) | Q(
        status=Notice.Status.SENDING, claimed_at__lt=now - stale_claim()
    )


def deliver_pending(now=None, batch_size=BATCH_SIZE):
    """Deliver every pending notice; the number delivered (emailed, in-app or queued for the digest)."""
    now = now or timezone.now()
    delivered = 0
    last = 0
    while True:
        ids = list(
            Notice.objects.filter(_deliverable(now), pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return delivered
        last = ids[-1]
        claim, claimed = uuid.uuid4(), time.monotonic()
        Notice.objects.filter(_deliverable(now), pk__in=ids).update(
            status=Notice.Status.SENDING, claimed_at=timezone.now(), claim=claim
        )
        delivered += _deliver_claimed(claim, claimed, now)


def _deliver_claimed(claim, claimed, now):
    notices = list(Notice.objects.filter(claim=claim).select_related("recipient", "task_force"))
    if not notices:
        return 0
    objects = _load_objects(notices)
    members = _active_members({n.recipient_id for n in notices}, {n.task_force_id for n in notices})
    channels = {
        (user_id, kind): channel
        for user_id, kind, channel in Preference.objects.filter(
            user_id__in={n.recipient_id for n in notices}
        ).values_list("user_id", "kind", "channel")
    }
    quiet = []  # delivered without email, or skipped: saved together before the emails go
    emails = []
    for notice in notices:
        rule = registry.get(notice.rule)
        obj = objects.get((notice.rule, notice.object_id))
        eligible = (
            rule is not None
            and obj is not None
            and notice.recipient.is_active
            and (notice.recipient_id, notice.task_force_id) in members
            and rule.still_due(obj, notice, now)
        )
        if not eligible:
            notice.status = Notice.Status.SKIPPED
            quiet.append(notice)
            continue
        notice.channel = channels.get((notice.recipient_id, notice.kind), Channel.EMAIL)
        message = _render(rule, obj, notice, now)
        notice.subject = message.subject[:300]
        notice.link = rule.link(obj)
        notice.delivered_at = timezone.now()
        if notice.channel == Channel.EMAIL:
            emails.append((notice, message))
        else:
            notice.status = (
                Notice.Status.DIGEST if notice.channel == Channel.DIGEST else Notice.Status.DELIVERED
            )
            quiet.append(notice)
    Notice.objects.bulk_update(quiet, ["status", "channel", "subject", "link", "delivered_at"])
    delivered = sum(notice.status != Notice.Status.SKIPPED for notice in quiet)
    mail = Mailer(claim, {notice.pk for notice in notices}, claimed)
    for notice, message in emails:
        delivered += mail.send(notice, message)
    mail.close()
    return delivered


def _load_objects(notices):
    """{(rule name, object id): object}, one query per rule in the batch."""
    ids = defaultdict(set)
    for notice in notices:
        ids[notice.rule].add(notice.object_id)
    found = {}
    for name, object_ids in ids.items():
        rule = registry.get(name)
        if rule is None:
            continue
        for pk, obj in rule.objects().in_bulk(list(object_ids)).items():
            found[(name, pk)] = obj
    return found


def _render(rule, obj, notice, now):
    context = {
        "object": obj,
        "notice": notice,
        "recipient": notice.recipient,
        "task_force": notice.task_force,
        "link": site_url(rule.link(obj)),
        "preferences_link": site_url(reverse("reminders:preferences")),
        "now": now,
        **rule.context(obj, notice, now),
    }
    with timezone.override(zoneinfo.ZoneInfo(notice.task_force.time_zone)):
        subject = " ".join(render_to_string(f"reminders/{rule.template}_subject.txt", context).split())
        text = render_to_string(f"reminders/{rule.template}_body.txt", context)
        html = render_to_string(f"reminders/{rule.template}_body.html", context)
    message = EmailMultiAlternatives(
        subject, text, to=[notice.recipient.email], headers={"Message-ID": message_id("notice", notice.pk)}
    )
    message.attach_alternative(html, "text/html")
    return message


def message_id(kind, pk):
    """The same Message-ID each time this notice or digest is sent: in the rare case it goes out
    twice (its worker died between the server accepting it and the row saying so), mail
    programs that drop repeated Message-IDs show it once."""
    return f"<taskforce-{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>"


class Mailer:
    """One connection to the mail server for a batch of reminders (opened at the first email,
    opened again after an error). Each email is sent only while its notice is still this
    sweep's claim, and its outcome is written as soon as the server answers."""

    def __init__(self, claim, claimed_ids, claimed):
        """claimed: time.monotonic() when the claim was made (before it was written)."""
        self.connection = get_connection()
        self.claim, self.mine, self.renewed = claim, set(claimed_ids), claimed

    def still_mine(self, notice):
        """No other sweep takes over a claim younger than stale_claim(): until half of that has
        gone by, the notices claimed are this sweep's; then the claim is renewed (one query) on
        those still this sweep's, which a stalled worker may have lost meanwhile."""
        if time.monotonic() - self.renewed > stale_claim().total_seconds() / 2:
            self.renewed = time.monotonic()
            mine = Notice.objects.filter(claim=self.claim, status=Notice.Status.SENDING)
            mine.update(claimed_at=timezone.now())
            self.mine = set(mine.values_list("pk", flat=True))
        return notice.pk in self.mine

    def send(self, notice, message):
        """True if sent; False if refused, to be retried, or no longer this sweep's to send."""
        if not self.still_mine(notice):
            return False  # another sweep took it over, as stale: it sends it
        mine = Notice.objects.filter(pk=notice.pk, claim=self.claim)
        fields = {"channel": notice.channel, "subject": notice.subject, "link": notice.link}
        message.connection = self.connection
        try:
            message.send()
        except PERMANENT_SMTP_ERRORS as error:
            log.warning("Reminder %s to %s refused: %s", notice.pk, notice.recipient_id, error)
            mine.update(status=Notice.Status.FAILED, error=str(error)[:2000], **fields)
            return False
        except (smtplib.SMTPException, OSError) as error:
            # The server is unreachable or busy: give the claim back for the next sweep.
            log.warning("Reminder %s not sent, will retry: %s", notice.pk, error)
            self.close()
            mine.update(status=Notice.Status.PENDING, claim=None, claimed_at=None, error=str(error)[:2000])
            return False
        mine.update(status=Notice.Status.DELIVERED, delivered_at=notice.delivered_at, error="", **fields)
        return True

    def close(self):
        with contextlib.suppress(smtplib.SMTPException, OSError):  # it hung up first
            self.connection.close()


# --- the weekly digest -----------------------------------------------------------------------


def digest_weeks(now):
    """{task force id: the Monday's date} of the task forces where it is Monday morning or later."""
    weeks = {}
    for task_force_id, time_zone in TaskForce.objects.values_list("pk", "time_zone"):
        local = now.astimezone(zoneinfo.ZoneInfo(time_zone))
        if local.weekday() == 0 and local.hour >= DIGEST_HOUR:
            weeks[task_force_id] = local.date()
    return weeks


def send_digests(now=None):
    """One digest a week per person with notices waiting for it; the number sent."""
    now = now or timezone.now()
    weeks = digest_weeks(now)
    waiting = Notice.objects.filter(status=Notice.Status.DIGEST, task_force_id__in=list(weeks))
    week_of = {}
    for user_id, task_force_id in waiting.values_list("recipient_id", "task_force_id").distinct():
        week = weeks[task_force_id]
        week_of[user_id] = min(week, week_of.get(user_id, week))
    for user_id, week in week_of.items():
        try:
            with transaction.atomic():
                digest = Digest.objects.create(recipient_id=user_id, week_of=week)
                Notice.objects.filter(recipient_id=user_id, status=Notice.Status.DIGEST).update(
                    status=Notice.Status.DELIVERED, digest=digest
                )
        except IntegrityError:
            continue  # this week's digest is made already: what arrived since waits for next week
    unsent = Digest.objects.filter(sent_at__isnull=True, error="").filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - stale_claim())
    )
    return sum(deliver_digest(digest_id, now) for digest_id in unsent.values_list("pk", flat=True))


def deliver_digest(digest_id, now=None):
    now = now or timezone.now()
    stamp = timezone.now()
    claimed = (
        Digest.objects.filter(pk=digest_id, sent_at__isnull=True, error="")
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - stale_claim()))
        .update(claimed_at=stamp)
    )
    if claimed != 1:
        return 0
    digest = Digest.objects.select_related("recipient").get(pk=digest_id)
    notices = list(
        digest.notices.select_related("task_force").order_by("task_force__name", "kind", "created_at")
    )
    context = {
        "digest": digest,
        "recipient": digest.recipient,
        "notices": [(notice, site_url(notice.link)) for notice in notices],
        "notices_link": site_url(reverse("reminders:notice-list")),
        "preferences_link": site_url(reverse("reminders:preferences")),
    }
    subject = " ".join(render_to_string("reminders/emails/digest_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string("reminders/emails/digest_body.txt", context),
        to=[digest.recipient.email],
        headers={"Message-ID": message_id("digest", digest.pk)},
    )
    message.attach_alternative(render_to_string("reminders/emails/digest_body.html", context), "text/html")
    try:
        message.send()
    except PERMANENT_SMTP_ERRORS as error:
        Digest.objects.filter(pk=digest_id).update(error=str(error)[:2000])
        return 0
    except (smtplib.SMTPException, OSError) as error:
        log.warning("Digest %s not sent, will retry: %s", digest_id, error)
        Digest.objects.filter(pk=digest_id).update(claimed_at=None)
        return 0
    Digest.objects.filter(pk=digest_id).update(sent_at=timezone.now())
    return 1


# --- reading ---------------------------------------------------------------------------------


def mark_read(notice):
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)
    return notice


def mark_all_read(user):
    return Notice.objects.for_reader(user).unread().update(read_at=timezone.now())


def save_preferences(user, channels):
    """channels: {kind: channel}."""
    with transaction.atomic():
        for kind, channel in channels.items():
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
