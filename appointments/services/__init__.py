"""Business rules that write. Views, admin hooks, commands and tasks call these."""
