"""Issuing a conclusion: the official document (the form of Party documents, by a versioned
ruleset), its .docx and PDF/A, and the reading view of the admin."""
