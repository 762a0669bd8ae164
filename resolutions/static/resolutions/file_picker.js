/* The chosen file's name beside the "Chọn tệp…" button (widgets.FilePickerInput). The input
   itself stays in the page, focusable: Tab reaches it and Space or Enter opens the chooser. */
"use strict";
if (!window.filePickerReady) {
    window.filePickerReady = true;
    document.addEventListener("change", function (event) {
        const input = event.target;
        if (!input.matches || !input.matches(".file-picker input[type=file]")) {
            return;
        }
        const name = input.parentElement.querySelector(".file-picker-name");
        const files = Array.from(input.files || []).map(function (file) { return file.name; });
        name.textContent = files.length ? files.join(", ") : name.dataset.empty;
    });
}
