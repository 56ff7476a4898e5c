"""Streamlit-only building blocks shared by the pages: cached data access, display helpers and page state."""
