"""Relations pages around the pipeline: outreach templates and sending one, top voices, the
CSV import (preview, then confirm) and export."""

from __future__ import annotations

import base64
import binascii
import csv

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.engagement import relations as services
from chorus.engagement import relations_csv, relations_outreach, relations_voices
from chorus.engagement.models.relations import OutreachTemplate, Relation
from chorus.engagement.relations_figures import WINDOW_DAYS
from chorus.engagement.relations_forms import ImportForm, OutreachTemplateForm
from chorus.inbox.services import InboxRuleBroken
from chorus.people.models import Author
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


@workspace_view()
def templates(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "templates": OutreachTemplate.objects.filter(workspace=request.workspace),
        "can_manage": can(request.membership, Permission.MANAGE_RELATIONS),
    }
    return render(request, "engagement/relation_templates.html", context)


@workspace_view(Permission.MANAGE_RELATIONS)
def template_edit(request: WorkspaceRequest, template_id: int | None = None) -> HttpResponseBase:
    template = None
    if template_id is not None:
        template = get_object_or_404(OutreachTemplate, pk=template_id, workspace=request.workspace)
    form = OutreachTemplateForm(
        request.POST or None, instance=template, workspace=request.workspace
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Template saved."))
        return redirect("engagement:relation_templates")
    status = 422 if form.errors else 200
    context = {"form": form, "template": template}
    return render(request, "engagement/relation_template_edit.html", context, status=status)


@require_POST
@workspace_view(Permission.MANAGE_RELATIONS)
def template_delete(request: WorkspaceRequest, template_id: int) -> HttpResponseBase:
    template = get_object_or_404(OutreachTemplate, pk=template_id, workspace=request.workspace)
    template.delete()
    messages.success(request, _("Template deleted."))
    return redirect("engagement:relation_templates")


@workspace_view(Permission.MANAGE_RELATIONS)
def outreach(request: WorkspaceRequest, relation_id: int, template_id: int) -> HttpResponseBase:
    """The template filled in for this person, to copy; "Mark as sent" records it."""
    relation = get_object_or_404(
        Relation.objects.select_related("person", "workspace"),
        pk=relation_id,
        workspace=request.workspace,
    )
    template = get_object_or_404(OutreachTemplate, pk=template_id, workspace=request.workspace)
    text = relations_outreach.fill(template, relation)
    conversations = relations_outreach.direct_conversations(relation)
    if request.method == "POST":
        text = request.POST.get("text", "").strip()[:5000] or text
        chosen = request.POST.get("conversation", "")
        if not chosen:
            relations_outreach.record_outreach(relation, template, text, request.user)
            messages.success(request, _("Outreach recorded in %(name)s's history.") % {
                "name": relation.person.name})  # fmt: skip
            return redirect("engagement:relation", relation.pk)
        conversation = next((c for c in conversations if str(c.pk) == chosen), None)
        if conversation is None:
            messages.error(request, _("This conversation cannot take a direct message."))
        else:
            try:
                relations_outreach.send_as_direct_message(
                    relation, template, conversation, text, request.user
                )
            except InboxRuleBroken as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Direct message on its way to %(name)s.") % {
                    "name": relation.person.name})  # fmt: skip
                return redirect("engagement:relation", relation.pk)
    context = {
        "relation": relation,
        "template": template,
        "text": text,
        "conversations": conversations,
    }
    return render(request, "engagement/relation_outreach.html", context)


@workspace_view()
def top_voices(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "voices": relations_voices.top_voices(request.workspace),
        "window_days": WINDOW_DAYS,
        "min_texts": relations_voices.MIN_TEXTS,
        "can_manage": can(request.membership, Permission.MANAGE_RELATIONS),
    }
    return render(request, "engagement/relation_voices.html", context)


@require_POST
@workspace_view(Permission.MANAGE_RELATIONS)
def voice_add(request: WorkspaceRequest, author_id: int) -> HttpResponseBase:
    author = get_object_or_404(Author, pk=author_id, workspace=request.workspace)
    relation = services.add_to_pipeline(request.workspace, author, request.user)
    messages.success(request, _("%(name)s is in the pipeline, as spotted.") % {
        "name": relation.person.name})  # fmt: skip
    return redirect("engagement:relation", relation.pk)


@require_POST
@workspace_view(Permission.MANAGE_RELATIONS)
def voice_dismiss(request: WorkspaceRequest, author_id: int) -> HttpResponseBase:
    author = get_object_or_404(Author, pk=author_id, workspace=request.workspace)
    relations_voices.dismiss(request.workspace, author, request.user)
    messages.success(request, _("%(name)s will not be suggested again.") % {"name": str(author)})
    return redirect("engagement:relation_voices")


@workspace_view(Permission.MANAGE_RELATIONS)
def import_people(request: WorkspaceRequest) -> HttpResponse | HttpResponseBase:
    """Step 1: upload and preview (nothing written). Step 2: confirm, with the same file carried
    in the form (base64), so nothing is kept on the server between the two."""
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "columns": relations_csv.NETWORK_COLUMNS}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(relations_csv.MAX_BYTES + 1)
        try:
            rows = relations_csv.read_rows(data)
        except relations_csv.ImportError_ as error:
            form.add_error("file", str(error))
        else:
            context |= {
                "rows": rows,
                "good": sum(1 for row in rows if not row.errors),
                "bad": sum(1 for row in rows if row.errors),
                "carried": base64.b64encode(data).decode("ascii"),
            }
    status = 422 if form.errors else 200
    return render(request, "engagement/relation_import.html", context, status=status)


def _confirm(request: WorkspaceRequest) -> HttpResponseBase:
    try:
        data = base64.b64decode(request.POST.get("carried", ""), validate=True)
        rows = relations_csv.read_rows(data)
    except (binascii.Error, relations_csv.ImportError_):
        messages.error(request, _("The file could not be read again; upload it once more."))
        return redirect("engagement:relation_import")
    added, updated = relations_csv.import_rows(request.workspace, rows, request.user)
    messages.success(request, _("%(added)d people added, %(updated)d updated.") % {
        "added": added, "updated": updated})  # fmt: skip
    return redirect("engagement:relations")


@workspace_view()
def export_people(request: WorkspaceRequest) -> HttpResponse:
    relations = services.directory(request.workspace, services.DirectoryFilter())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="relations.csv"'
    writer = csv.writer(response)
    for row in relations_csv.export_rows(list(relations)):
        writer.writerow(row)
    return response
