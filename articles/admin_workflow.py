"""The article form's workflow buttons, in place of a status field.

The buttons are the steps articles.workflow offers this user from the
article's state; the form (ArticleAdminForm) takes only those, so what the
buttons hide a crafted POST cannot do. After any step the editor stays on
the article and is told what happened, in words and with the time.
"""

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.shortcuts import redirect

from articles import trash, workflow
from articles.admin_roles import is_editor
from articles.models import State


class WorkflowAdminMixin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        state = obj.state if obj is not None else State.DRAFT
        steps = tuple(workflow.available(state, is_editor(request)))
        return type(form.__name__, (form,), {"steps": steps})

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article, step = form.instance, form.step
        workflow.record(
            article, request.user, form.initial_state, form.cleaned_data["step_note"], step.name
        )
        if not change and article.state == form.initial_state:
            article.done_message = f"Added “{article}” as a draft."
        else:
            article.done_message = workflow.done_message(article, form.initial_state, step.name)

    def response_add(self, request, obj, post_url_continue=None):
        if IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return self.stay_on(request, obj)

    def response_change(self, request, obj):
        if IS_POPUP_VAR in request.POST:
            return super().response_change(request, obj)
        return self.stay_on(request, obj)

    def stay_on(self, request, article):
        self.message_user(request, article.done_message, messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        editable = (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        steps = list(form.steps) if editable else []
        context.update(
            {
                "workflow_state": workflow.state_label(obj) if obj else "New draft",
                "workflow_steps": [
                    {
                        "name": step.name,
                        "label": "Save draft"
                        if step.name == "save" and form.initial_state == State.DRAFT
                        else step.label,
                    }
                    for step in steps
                ],
                "workflow_can_schedule": any(step.name == "schedule" for step in steps),
                "workflow_history": workflow.history(obj)[:10] if obj else [],
                "workflow_restore": obj is not None
                and trash.can_restore(obj)
                and is_editor(request),
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)
