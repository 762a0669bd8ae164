"""The handover package (gói nộp lưu, issue 16): a committee's register, with its source files,
its official documents as PDF/A, a metadata record per conclusion and per file and a SHA-256
manifest, in one zip that the same register always writes byte for byte the same, that
verifies itself (``verify.py``) and restores into an empty register (``restore.py``).

package.py writes it; metadata.py holds the records' fields; record.py the handover record
(biên bản giao nộp); zipped.py the deterministic zip; schema.json the JSON's schema.
"""
