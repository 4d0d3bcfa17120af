"""What the core's public pages show of this app: the audience pages' parcours, aids, documents,
events and news; a département's ARS contacts."""

from guichet.publics import contacts, contenu
from installation.models import Contact
from installation.services import contenu_espace

contenu(contenu_espace)


@contacts
def contacts_de_l_ars(departement) -> list:
    return list(
        Contact.objects.pour_liste().filter(departement=departement, organisation__type="ars")
    )
