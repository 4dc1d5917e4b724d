from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from articles import identifiers, redirects, workflow
from articles.images import clean_image
from articles.models import TAKEAWAYS_MAX, Article, Author, Edition, Photo, Redirect, State
from articles.pdfs import check_pdf
from articles.times import short_time
from usip_cms.text import refuse_control_characters


class TakeawaysField(forms.CharField):
    """Key takeaways typed one point a line; the model keeps them as a list."""

    widget = forms.Textarea(attrs={"rows": TAKEAWAYS_MAX // 2})
    default_validators = []

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value)
        refuse_control_characters(text)
        # One point a line; spaces inside a point are tidied, empty lines dropped.
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def identifier_field(name):
    """A form field for Article.<name> (ISBN, DOI) that takes it as people type it."""
    model_field = Article._meta.get_field(name)
    return forms.CharField(
        label=model_field.verbose_name,
        max_length=model_field.max_length + 40,
        required=False,
        help_text=model_field.help_text,
        validators=[refuse_control_characters],
    )


class ArticleAdminForm(forms.ModelForm):
    """Rules an article must meet before it goes public, as form errors.

    Status and date are never fields: the button pressed names a workflow
    step (articles.workflow), which the form takes only if it is among
    `steps`, the ones the admin offers this user from the article's state.
    It also refuses a stale save: the form carries the version it was opened
    at, and if someone saved the article since, nothing is overwritten.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    key_takeaways = TakeawaysField(
        required=False,
        help_text="One point a line, in order: a sentence or two each (up to 300 characters), "
        "at most 8. Shown in a box near the top of the page.",
    )
    # Typed with hyphens or as a link; normalized below before the model sees it.
    isbn = identifier_field("isbn")
    doi = identifier_field("doi")
    publish_at = forms.SplitDateTimeField(
        label="Publication time",
        required=False,
        widget=AdminSplitDateTime,
        help_text="For “Schedule”: the article goes live by itself then (a past time "
        "publishes it with that date).",
    )
    step_note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        validators=[refuse_control_characters],
        help_text="Goes with the step you choose and into the history; needed to return "
        "an item. With “Save” it is kept as a review note.",
    )
    # The steps this user may take (set per request by articles.admin_workflow).
    steps = ()

    class Meta:
        model = Article
        fields = (
            "title", "slug", "publication_type", "summary", "key_takeaways", "body", "lead_photo",
            "topics", "regions", "series", "series_number", "isbn", "doi",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read before the step changes the instance: the form shows where the article was.
        self.initial_state = self.instance.state if self.instance.pk else State.DRAFT
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            if self.instance.state == State.SCHEDULED:
                self.fields["publish_at"].initial = self.instance.published_at

    @property
    def step(self):
        """The step the pressed button asks for (“save” when none: Enter in a field)."""
        name = self.data.get(workflow.STEP_FIELD) or "save"
        return workflow.STEPS.get(name) if isinstance(name, str) else None

    def clean_body(self):
        # Well below the request's hard limits (settings: FORM_MAX_BYTES), so
        # a too-long paste is a message beside the text rather than an error
        # page, and the text stays in the form.
        body = self.cleaned_data.get("body") or ""
        size = len(body.encode())
        if size > settings.ARTICLE_BODY_MAX_BYTES:
            raise ValidationError(
                f"The body is {filesizeformat(size)} of HTML; the most an article takes is "
                f"{filesizeformat(settings.ARTICLE_BODY_MAX_BYTES)}. Nothing is saved yet and "
                "your text is still here: split it into parts, or remove pasted formatting "
                "or images.",
                code="too_long",
            )
        return body

    def clean_isbn(self):
        return identifiers.normalize_isbn(self.cleaned_data["isbn"])

    def clean_doi(self):
        return identifiers.normalize_doi(self.cleaned_data["doi"])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.check_not_stale(cleaned.get("loaded_version"))
        step = self.step
        if step is None or step not in self.steps:
            # A crafted POST, or a page left open while the article moved on.
            offered = ", ".join(f"“{s.label}”" for s in self.steps) or "nothing"
            self.add_error(
                None,
                ValidationError(
                    f"That step is not open to you from “{self.initial_state.label}”; "
                    f"you may: {offered}. Nothing was saved.",
                    code="step_refused",
                ),
            )
            return cleaned
        if step.needs_time and not cleaned.get("publish_at"):
            if "publish_at" not in self.errors:
                self.add_error("publish_at", "Choose the date and time it goes live.")
            return cleaned
        if step.needs_note and not cleaned.get("step_note", "").strip():
            self.add_error("step_note", "Say what the author should change.")
            return cleaned
        workflow.take(self.instance, step, cleaned.get("publish_at"))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # The instance now holds the form's values. The byline is checked by
        # BylineFormSet, against the same rule, with the authors it will save.
        if self.instance.status == Article.Status.PUBLISHED:
            for field, message in self.instance.publishing_problems(authors=None).items():
                self.add_error(field, message)

    def check_not_stale(self, loaded_version):
        # The admin saves inside a transaction: the row stays locked from this
        # check until the save, so two saves cannot both pass it.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if loaded_version == current:
            return
        # Keep the other checks running, so the editor sees every problem at once.
        last = self.instance.revisions.select_related("user").first()
        who = f" by {last.user.get_username()}" if last and last.user else ""
        when = f" on {short_time(last.created_at)}" if last else ""
        self.add_error(
            None,
            ValidationError(
                f"This article was saved{who}{when}, after you opened it. Your changes "
                "are not saved but are still in this form: open the article in a new "
                "tab, bring your changes over, and save there.",
                code="stale",
            ),
        )


class BylineForm(forms.ModelForm):
    def has_changed(self):
        # The order buttons number every row, the empty extra one too: a new
        # row with only its position set is still empty, not an author missing.
        changed = set(self.changed_data)
        return bool(changed if self.instance.pk else changed - {"position"})


class BylineFormSet(forms.BaseInlineFormSet):
    """The byline part of Article.publishing_problems(), with the authors about to be saved.

    It runs after the article form, so the article holds the form's status and summary.
    """

    def clean(self):
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
            return
        authors = [
            form.cleaned_data["author"]
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        if problem := self.instance.publishing_problems(authors).get("authors"):
            raise ValidationError(problem)

    def save(self, commit=True):
        saved = super().save(commit)
        if commit:
            renumber_byline(self.instance)
        return saved


def renumber_byline(article):
    """Positions 0, 1, 2… in the order the form gave (then by when added): no gaps, no ties."""
    for position, byline in enumerate(article.bylines.order_by("position", "pk")):
        if byline.position != position:
            type(byline).objects.filter(pk=byline.pk).update(position=position)


class CleanImageField(forms.FileField):
    """An upload decoded, checked and re-encoded by articles.images.clean_image.

    Used instead of Django's ImageField, which hands the file to every Pillow
    plugin (TIFF, PSD, EPS…) before our checks, refuses a decompression bomb
    with a bare "Upload a valid image" and, for a name it does not expect,
    lists Pillow's thirty-odd extensions. Here the uploader's file name plays
    no part: only the decoded format counts, and every refusal says why.
    """

    ACCEPT = "image/jpeg,image/png,image/webp"

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            return clean_image(upload)
        except ValidationError as error:
            if error.code == "not_image":
                raise ValidationError(
                    f"{error.message} Upload a valid image in one of those formats.",
                    code="not_image",
                ) from None
            raise

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            # The browser's file picker offers only what we accept.
            attrs["accept"] = self.ACCEPT
        return attrs


class PhotoAdminForm(forms.ModelForm):
    """Uploads are decoded, checked and stored without their metadata."""

    class Meta:
        model = Photo
        fields = ("image", "alt_text", "is_decorative", "caption", "credit", "focal_x", "focal_y")
        field_classes = {"image": CleanImageField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("focal_x", "focal_y"):
            if name in self.fields:  # not when the form is read only
                # Left empty: the point stays where it was (the middle for a new photo).
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in ("focal_x", "focal_y"):
            if name in self.fields and cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        if not cleaned.get("is_decorative") and not (cleaned.get("alt_text") or "").strip():
            self.add_error(
                "alt_text",
                "Describe the photo for readers who cannot see it, or mark it decorative.",
            )
        return cleaned


class AuthorAdminForm(forms.ModelForm):
    """A portrait goes through the same checks and re-encoding as a photo."""

    class Meta:
        model = Author
        fields = ("name", "family_name", "slug", "role", "bio", "portrait")
        field_classes = {"portrait": CleanImageField}


class EditionAdminForm(forms.ModelForm):
    """A PDF edition: the file is decoded and checked before anything is written."""

    class Meta:
        model = Edition
        fields = ("position", "kind", "language", "title", "file")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            # A fresh upload: check it now, so a refused file is never stored,
            # and hand the result to Edition.save so it is read only once.
            self.instance.checked_pdf = check_pdf(upload)
        return upload

    def clean_language(self):
        return identifiers.normalize_language(self.cleaned_data["language"])

    def clean_title(self):
        title = self.cleaned_data["title"]
        refuse_control_characters(title)
        return title


class RedirectAdminForm(forms.ModelForm):
    """A redirect by hand: the rules of articles.redirects, as form errors."""

    class Meta:
        model = Redirect
        fields = ("old_path", "target_path", "target_article")

    def clean(self):
        cleaned = super().clean()
        old, path, article = (cleaned.get(n) for n in ("old_path", "target_path", "target_article"))
        if old is None or self.errors:
            return cleaned
        if bool(path) == bool(article):
            raise ValidationError("Give either a new address or an article, not both.")
        try:
            old, path, article = redirects.check(old, path, article, exclude_pk=self.instance.pk)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        cleaned.update(old_path=old, target_path=path, target_article=article)
        return cleaned

    def _post_clean(self):
        # The cleaned (cut, collapsed) values are the ones stored.
        super()._post_clean()
        for name in ("old_path", "target_path", "target_article"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])


class RedirectImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Two columns: the old address (a path, or a full URL of the previous site) "
        "and the new one (a path on this site). A header row is allowed.",
    )
