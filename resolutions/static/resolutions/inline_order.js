/*
 * Position handles for a meeting's inlines. Dragging a row by its handle moves it on screen
 * and renumbers the "position" column, within its section for directives, so that the order
 * saved is the order the clerk sees. A directive dropped into another section takes that
 * section's number and heading. Typing positions by hand keeps working as before.
 */
"use strict";
{
    const PLACE_FIELDS = ["section_order", "section_number", "section_heading"];

    function field(row, name) {
        return row.querySelector(`td.field-${name} input, td.field-${name} select`);
    }

    function isFilled(row) {
        if (row.classList.contains("has_original")) {
            return true;
        }
        return Array.from(row.querySelectorAll("td:not(.field-position) textarea, td:not(.field-position) input[type=text]"))
            .some((element) => element.value.trim() !== "" && !PLACE_FIELDS.some((name) => element.name.endsWith(`-${name}`)));
    }

    function renumber(tbody) {
        const counters = new Map();
        for (const row of tbody.querySelectorAll("tr.form-row:not(.empty-form)")) {
            const position = field(row, "position");
            const removed = row.querySelector("td.delete input[type=checkbox]");
            if (!position || (removed && removed.checked) || !isFilled(row)) {
                continue;
            }
            const section = field(row, "section_order");
            const scope = section ? section.value : "";
            const next = (counters.get(scope) || 0) + 1;
            counters.set(scope, next);
            position.value = String(next);
        }
    }

    function addHandle(row) {
        const cell = row.querySelector("td.field-position");
        if (!cell || cell.querySelector(".position-handle")) {
            return;
        }
        const handle = document.createElement("span");
        handle.className = "position-handle";
        handle.draggable = true;
        handle.title = "Kéo để đổi thứ tự";
        handle.textContent = "⠿";
        cell.prepend(handle);
    }

    let dragged = null;

    document.addEventListener("dragstart", (event) => {
        if (event.target.classList && event.target.classList.contains("position-handle")) {
            dragged = event.target.closest("tr.form-row");
            dragged.classList.add("dragging");
            event.dataTransfer.effectAllowed = "move";
            event.dataTransfer.setData("text/plain", dragged.id);
        }
    });

    document.addEventListener("dragover", (event) => {
        const target = event.target.closest && event.target.closest("tr.form-row:not(.empty-form)");
        if (dragged && target && target !== dragged && target.parentNode === dragged.parentNode) {
            event.preventDefault();
        }
    });

    document.addEventListener("drop", (event) => {
        const target = event.target.closest && event.target.closest("tr.form-row:not(.empty-form)");
        if (!dragged || !target || target === dragged || target.parentNode !== dragged.parentNode) {
            return;
        }
        event.preventDefault();
        const box = target.getBoundingClientRect();
        const after = event.clientY > box.top + box.height / 2;
        target.parentNode.insertBefore(dragged, after ? target.nextSibling : target);
        for (const name of PLACE_FIELDS) {
            const from = field(target, name);
            const to = field(dragged, name);
            if (from && to) {
                to.value = from.value;
            }
        }
        renumber(target.parentNode);
    });

    document.addEventListener("dragend", () => {
        if (dragged) {
            dragged.classList.remove("dragging");
            dragged = null;
        }
    });

    function init() {
        document.querySelectorAll(".inline-group tr.form-row:not(.empty-form)").forEach(addHandle);
    }

    document.addEventListener("DOMContentLoaded", init);
    document.addEventListener("formset:added", (event) => addHandle(event.target));
}
