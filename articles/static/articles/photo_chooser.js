"use strict";
// The lead-photo chooser shows a thumbnail and the credit beside each caption
// (the autocomplete results carry them: PhotoAdmin.autocomplete_extra).
{
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
        return django.jQuery(item);
    }

    // On load: after the admin has set up its select2 widgets (on DOM ready).
    window.addEventListener("load", () => {
        const select = django.jQuery("#id_lead_photo");
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
