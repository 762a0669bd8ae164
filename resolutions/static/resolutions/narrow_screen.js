/*
 * On a laptop screen (narrower than 1600 px) the admin's menu starts folded, so that a list's
 * columns fit beside its filters. A person who opens or folds it keeps that choice: Django's
 * nav_sidebar.js (deferred, so it runs after this) remembers it under the same key.
 */
"use strict";
if (window.innerWidth < 1600 && localStorage.getItem("django.admin.navSidebarIsOpen") === null) {
    localStorage.setItem("django.admin.navSidebarIsOpen", "false");
}
