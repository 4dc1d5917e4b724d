"""Topics and regions picked from their vocabulary in the article form."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper


class VocabularyAutocomplete(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        # A tampered or stale value (not an id) is reported by the form field;
        # it must not crash the redisplay of the form.
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attr)


class VocabularyPickersMixin:
    """Topics and regions are picked by typing (“Sah” offers “Sahel”), not typed
    free-hand: a new term is made deliberately with the “+” beside the field."""

    vocabulary_fields = ("topics", "regions")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name not in self.vocabulary_fields:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        model = db_field.remote_field.model
        field = forms.ModelMultipleChoiceField(
            queryset=model.objects.all(),
            required=False,
            widget=VocabularyAutocomplete(db_field, self.admin_site),
            help_text=db_field.help_text,
            label=db_field.verbose_name.capitalize(),
        )
        field.widget = RelatedFieldWidgetWrapper(
            field.widget,
            db_field.remote_field,
            self.admin_site,
            can_add_related=request.user.has_perm(
                f"{model._meta.app_label}.add_{model._meta.model_name}"
            ),
        )
        return field
