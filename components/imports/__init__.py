"""The Data page's import pieces: the upload flow, the review of a preview, and the audit log."""
