"""Decision reports: build, HTML, Markdown, PDF and figure export."""
