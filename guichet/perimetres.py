"""Scope of the core's models (see guichet.scoping.declarer); one line per admin model."""

from guichet.scoping import comptes, declarer, national, personnel, reference, territorial

declarer("guichet.Region", territorial(region="pk", departement=None))
declarer("guichet.Departement", territorial(region="region", departement="pk"))
declarer("guichet.Commune", territorial(region="departement__region", departement="departement"))
declarer("guichet.User", comptes())
declarer("guichet.PageEditoriale", national())
declarer("guichet.JeuDeDonnees", reference())
# Third-party models shown in the admin: roles and settings are national matters.
declarer("auth.Group", reference())
declarer("dsfr.DsfrConfig", national())
declarer("dsfr.DsfrSocialMedia", national())
declarer("sites.Site", reference())
declarer("account.EmailAddress", personnel())
# Added by other branches (declared here so that their admin is scoped the day they land).
declarer("mfa.Authenticator", personnel())
declarer("auditlog.LogEntry", national(reserve_national=True))
declarer("usersessions.UserSession", personnel())
