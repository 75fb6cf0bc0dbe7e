"""The one settings object. Nothing else in the package reads the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path("var"))
    # Web side (portal and apps). Production sets them through the environment.
    secret_key: str = ""
    debug: bool = False
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    database_url: str = ""  # empty: embedded SQLite in the data dir
    production: bool = False
    # E-mail (invitations, password reset): empty prints mails on the console;
    # smtp://user:password@host:port (smtps:// for implicit TLS, starttls with ?tls=1).
    email_url: str = ""
    email_from: str = "observatoire@localhost"
    max_upload_mb: int = 20

    @property
    def warehouse_dir(self) -> Path:
        return self.data_dir / "warehouse"

    @property
    def cube_path(self) -> Path:
        return self.data_dir / "cube.duckdb"

    @property
    def groupings_path(self) -> Path:
        return self.data_dir / "regroupements.csv"

    @property
    def files_dir(self) -> Path:
        """Uploaded documents and attachments: inside the data dir, outside any web root,
        only ever served by a view (Content-Disposition: attachment)."""
        return self.data_dir / "fichiers"

    @property
    def cache_dir(self) -> Path:
        """Django's cache (password-reset counters): on disk, so that every gunicorn
        worker of the data dir counts the same requests."""
        return self.data_dir / "cache"

    @property
    def snapshots_dir(self) -> Path:
        """Frozen reports ("photographie au 31/12") of the plans."""
        return self.data_dir / "photographies"

    @property
    def secret_key_path(self) -> Path:
        return self.data_dir / "secret_key"

    def django_secret_key(self) -> str:
        """The configured key, else one generated once and kept in the data dir."""
        if self.secret_key:
            return self.secret_key
        path = self.secret_key_path
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def database(self) -> dict[str, object]:
        """Django DATABASES["default"] from the URL (postgresql://user:pw@host:port/name)."""
        if not self.database_url:
            return {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(self.data_dir / "app.sqlite3"),
            }
        url = urlparse(self.database_url)
        if url.scheme not in ("postgres", "postgresql"):
            raise ValueError(f"Base de données non prise en charge : {url.scheme}")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": url.path.lstrip("/"),
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": str(url.port or ""),
            "CONN_MAX_AGE": 60,
        }

    def email(self) -> dict[str, object]:
        """Django EMAIL_* settings from `email_url` (console backend when empty)."""
        if not self.email_url:
            return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        url = urlparse(self.email_url)
        if url.scheme not in ("smtp", "smtps"):
            raise ValueError(f"Serveur de courriel non pris en charge : {url.scheme}")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": url.hostname or "localhost",
            "EMAIL_PORT": url.port or (465 if url.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(url.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(url.password or ""),
            "EMAIL_USE_SSL": url.scheme == "smtps",
            "EMAIL_USE_TLS": "tls=1" in url.query,
        }

    @classmethod
    def from_env(cls, data_dir: str | os.PathLike[str] | None = None) -> Settings:
        """Explicit argument first, then OBSERVATOIRE_* variables, then defaults."""
        env = os.environ
        chosen = data_dir or env.get("OBSERVATOIRE_DATA_DIR") or "var"
        hosts = env.get("OBSERVATOIRE_ALLOWED_HOSTS", "")
        return cls(
            data_dir=Path(chosen).resolve(),
            secret_key=env.get("OBSERVATOIRE_SECRET_KEY", ""),
            debug=env.get("OBSERVATOIRE_DEBUG", "") == "1",
            allowed_hosts=tuple(h.strip() for h in hosts.split(",") if h.strip())
            or cls.allowed_hosts,
            database_url=env.get("OBSERVATOIRE_DATABASE_URL", ""),
            production=env.get("OBSERVATOIRE_PRODUCTION", "") == "1",
            email_url=env.get("OBSERVATOIRE_EMAIL_URL", ""),
            email_from=env.get("OBSERVATOIRE_EMAIL_FROM", "") or cls.email_from,
            max_upload_mb=int(env.get("OBSERVATOIRE_MAX_UPLOAD_MB", "") or cls.max_upload_mb),
        )


_active: Settings | None = None


def activate(settings: Settings) -> Settings:
    """Make `settings` the process-wide settings (the CLI does it before starting Django)."""
    global _active
    _active = settings
    return settings


def active() -> Settings:
    """The process-wide settings: those activated, else read from the environment once."""
    return _active or activate(Settings.from_env())
