"""What the audience pages show of this app: parcours, aids, documents, events and news."""

from guichet.publics import contenu
from installation.services import contenu_espace

contenu(contenu_espace)
