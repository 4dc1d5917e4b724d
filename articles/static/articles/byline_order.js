"use strict";
// The byline's order: each row gets "Move up" and "Move down" buttons, and the
// hidden position fields follow the rows' order (0, 1, 2…), which the server
// keeps (BylineFormSet renumbers on save).
{
    const group = () => document.getElementById("bylines-group");

    function rows() {
        return Array.from(group().querySelectorAll("tbody tr.form-row:not(.empty-form)"));
    }

    function authorName(row) {
        const chosen = row.querySelector(".field-author select option:checked");
        return chosen && chosen.value ? chosen.textContent.trim() : "this author";
    }

    function renumber() {
        rows().forEach((row, index) => {
            const input = row.querySelector(".field-position input");
            if (input) {
                input.value = index;
            }
            const [up, down] = row.querySelectorAll(".byline-move");
            if (up) {
                const name = authorName(row);
                up.disabled = index === 0;
                down.disabled = index === rows().length - 1;
                up.setAttribute("aria-label", `Move ${name} up in the byline`);
                down.setAttribute("aria-label", `Move ${name} down in the byline`);
            }
        });
    }

    function button(label, direction) {
        const move = document.createElement("button");
        move.type = "button";
        move.className = "button byline-move";
        move.textContent = label;
        move.dataset.direction = direction;
        return move;
    }

    function enhance(row) {
        const cell = row.querySelector("td.field-position");
        if (!cell || cell.querySelector(".byline-move")) {
            return;
        }
        const input = cell.querySelector("input");
        input.type = "hidden";
        cell.append(button("↑", "up"), button("↓", "down"));
    }

    function move(event) {
        const target = event.target.closest(".byline-move");
        if (!target) {
            return;
        }
        const row = target.closest("tr");
        const all = rows();
        const index = all.indexOf(row);
        if (target.dataset.direction === "up" && index > 0) {
            all[index - 1].before(row);
        } else if (target.dataset.direction === "down" && index < all.length - 1) {
            all[index + 1].after(row);
        }
        renumber();
        target.focus();
    }

    document.addEventListener("DOMContentLoaded", () => {
        if (!group()) {
            return;
        }
        rows().forEach(enhance);
        renumber();
        group().addEventListener("click", move);
        // Select2 announces a choice through jQuery, not as a DOM event.
        django.jQuery(group()).on("change", "select", renumber);
        const heading = group().querySelector("th.column-position");
        if (heading) {
            heading.textContent = "Order";
        }
    });

    document.addEventListener("formset:added", (event) => {
        if (event.detail && event.detail.formsetName === "bylines") {
            enhance(event.target);
            renumber();
        }
    });
    document.addEventListener("formset:removed", (event) => {
        if (event.detail && event.detail.formsetName === "bylines") {
            renumber();
        }
    });
}
