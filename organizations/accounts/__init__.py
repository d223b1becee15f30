"""Accounts (jiguan.models.User) as staff manage them: each secretary's account names their organization."""
