"""Every write in the core goes through these functions (screens, API, admin, commands, tasks)."""
