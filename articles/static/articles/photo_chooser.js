"use strict";
// The lead-photo chooser shows a thumbnail and the credit beside each caption
// (the autocomplete results carry them: PhotoAdmin.autocomplete_extra).
{
    const $ = django.jQuery;

    function withThumbnail(result) {
        if (!result.id || !result.thumbnail) {
            return result.text;
        }
        const item = document.createElement("span");
        item.className = "photo-choice";
        const image = document.createElement("img");
        image.src = result.thumbnail;
        image.alt = "";
        image.height = 48;
        const words = document.createElement("span");
        words.textContent = result.credit ? `${result.text} (${result.credit})` : result.text;
        item.append(image, words);
        return $(item);
    }

    $(function () {
        const select = $("#id_lead_photo");
        if (!select.length || !select.data("select2")) {
            return;
        }
        const element = select[0];
        select.select2("destroy");
        select.select2({
            ajax: {
                data: (params) => ({
                    term: params.term,
                    page: params.page,
                    app_label: element.dataset.appLabel,
                    model_name: element.dataset.modelName,
                    field_name: element.dataset.fieldName,
                }),
            },
            templateResult: withThumbnail,
        });
    });
}
