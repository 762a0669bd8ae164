/*
 * The meeting page's wide inlines (directives, indicators) are laid out as wrapping cards by
 * admin.css, without the table's header row: each cell is given its column's heading, which
 * the stylesheet shows above the field. New rows ("Thêm …") are labelled as they are added.
 */
"use strict";
{
    function labelCells(table) {
        const headings = new Map();
        for (const th of table.querySelectorAll("thead th")) {
            const column = Array.from(th.classList).find((name) => name.startsWith("column-"));
            if (column) {
                headings.set(column.slice("column-".length), th.textContent.trim());
            }
        }
        // The last heading, "Xóa?", names the delete box's column, which has no class of its own.
        const last = table.querySelector("thead th:last-child");
        if (last && !Array.from(last.classList).some((name) => name.startsWith("column-"))) {
            for (const cell of table.querySelectorAll("td.delete")) {
                cell.dataset.label = last.textContent.trim();
            }
        }
        for (const [name, heading] of headings) {
            for (const cell of table.querySelectorAll(`td.field-${name}`)) {
                cell.dataset.label = heading;
            }
        }
    }

    function labelAll() {
        document.querySelectorAll(".inline-group .tabular table").forEach(labelCells);
    }

    document.addEventListener("DOMContentLoaded", labelAll);
    document.addEventListener("formset:added", labelAll);
}
