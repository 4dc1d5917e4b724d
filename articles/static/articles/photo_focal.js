"use strict";
// The photo form: a click on the picture sets its focal point (the fields
// “focal point, across” and “down”, fractions 0–1), shown by a marker.
document.addEventListener("DOMContentLoaded", () => {
    const image = document.querySelector(".field-preview img");
    const across = document.getElementById("id_focal_x");
    const down = document.getElementById("id_focal_y");
    if (!image || !across || !down) {
        return;
    }
    const frame = document.createElement("span");
    frame.className = "focal-frame";
    image.replaceWith(frame);
    frame.append(image);
    const marker = document.createElement("span");
    marker.className = "focal-marker";
    marker.setAttribute("aria-hidden", "true");
    frame.append(marker);
    image.title = "Click where the subject is: crops keep it in view";
    image.style.cursor = "crosshair";

    function show() {
        marker.style.left = `${Number(across.value) * 100}%`;
        marker.style.top = `${Number(down.value) * 100}%`;
    }

    image.addEventListener("click", (event) => {
        const box = image.getBoundingClientRect();
        across.value = ((event.clientX - box.left) / box.width).toFixed(3);
        down.value = ((event.clientY - box.top) / box.height).toFixed(3);
        show();
    });
    across.addEventListener("input", show);
    down.addEventListener("input", show);
    show();
});
