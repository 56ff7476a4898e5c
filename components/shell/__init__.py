"""The frame every page stands on: sign-in and roles, the cached fact store, page state and display helpers."""
