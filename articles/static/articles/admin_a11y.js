"use strict";
// Accessible names for the widgets of the article form that have none of their
// own: the autocomplete pickers (select2), the rich-text editor (ProseMirror)
// and the byline's delete boxes. Each takes the words of its field's label.
{
    function labelOf(select) {
        const label = document.querySelector(`label[for="${select.id}"]`);
        if (label) {
            return label.textContent.replace(/:\s*$/, "").trim();
        }
        // A byline row: the column's heading (“Author”).
        const cell = select.closest("td");
        const row = cell && cell.closest("tr");
        if (row) {
            return "Author in the byline";
        }
        return select.name;
    }

    function nameSelect2(select) {
        const container = select.nextElementSibling;
        if (!container || !container.classList.contains("select2")) {
            return;
        }
        const name = labelOf(select);
        const box = container.querySelector(".select2-selection");
        if (box) {
            box.removeAttribute("aria-labelledby");
            box.setAttribute("aria-label", name);
        }
        container.querySelectorAll(".select2-selection__rendered").forEach((shown) => {
            if (shown.getAttribute("role") === "textbox") {
                shown.setAttribute("aria-label", name);
            }
            if (shown.tagName === "UL") {
                // Select2 puts its clear button among the chosen items.
                shown.setAttribute("role", "none");
            }
        });
        container.querySelectorAll(".select2-search__field").forEach((search) => {
            search.setAttribute("aria-label", `${name}: type to search`);
        });
    }

    function nameAll(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach(nameSelect2);
        root.querySelectorAll(".ProseMirror[contenteditable]").forEach((editor) => {
            const field = editor.closest(".form-row");
            const label = field && field.querySelector("label");
            editor.setAttribute("aria-label", label ? label.textContent.replace(/:\s*$/, "").trim() : "Body");
            editor.setAttribute("aria-multiline", "true");
        });
        root.querySelectorAll('input[type="checkbox"][name$="-DELETE"]').forEach((box) => {
            box.setAttribute("aria-label", "Remove this author from the byline when saving");
        });
        root.querySelectorAll("th.original:empty").forEach((heading) => {
            const words = document.createElement("span");
            words.className = "visually-hidden";
            words.textContent = "Saved byline";
            heading.append(words);
        });
    }

    // After the widgets have drawn themselves (select2 on DOM ready, the
    // editor once its script ran), and again whenever select2 redraws.
    let pending = false;
    function soon() {
        if (!pending) {
            pending = true;
            requestAnimationFrame(() => {
                pending = false;
                nameAll(document);
            });
        }
    }

    window.addEventListener("load", () => {
        nameAll(document);
        new MutationObserver(soon).observe(
            document.getElementById("content-main") || document.body,
            {childList: true, subtree: true},
        );
    });
    document.addEventListener("formset:added", (event) => nameAll(event.target));
}
