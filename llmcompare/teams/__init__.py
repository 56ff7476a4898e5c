"""Who may do what on a shared server: users, roles and the rights each role holds."""
