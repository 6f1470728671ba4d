"""A person's own account: forced password change, the TOTP second factor, "log out everywhere".

Pages under ``/accounts/`` (namespace ``campaigns``): the account page, the second-factor
verification and enrolment. Middleware in :mod:`campaigns.accounts.middleware`; the rules in
:mod:`campaigns.accounts.services`. Source: issue 15 (等保 2.0 level 3 practices); SECURITY.md.
"""
