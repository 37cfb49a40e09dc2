"""Local development and `make demo`: debug on, SQLite and the ORM broker by default."""

from config.env import env
from config.settings.base import *  # noqa: F403

DEBUG = env.bool("DEBUG", True)
