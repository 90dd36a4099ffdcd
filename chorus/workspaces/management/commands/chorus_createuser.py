from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from chorus.accounts.models import User
from chorus.workspaces.services import create_workspace


class Command(BaseCommand):
    help = "Create a person who can sign in (password from CHORUS_PASSWORD or a prompt)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--workspace", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not an e-mail address: {email}") from error
        if User.objects.filter(email=email).exists():
            raise CommandError(f"{email} already has an account.")
        password = os.environ.get("CHORUS_PASSWORD") or getpass.getpass("Password: ")
        try:
            password_validation.validate_password(password, User(email=email))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user = User.objects.create_user(email=email, password=password, full_name=options["name"])
        if options["workspace"]:
            create_workspace(user, options["workspace"], "Europe/Paris")
        self.stdout.write(self.style.SUCCESS(f"Created {email}."))
