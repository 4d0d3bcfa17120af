"""Usage signals: a public page says what was used; whoever counts listens (espace/usages.py).

A domain app never imports the staff space: it sends one of these, anonymously (nothing about
the visitor), and the receivers registered in an app's ``usages.py`` do the rest.
"""

from django.dispatch import Signal

# sender: the model class of what was read; kwargs: objet (the instance).
contenu_consulte = Signal()
# sender: the app's label; kwargs: commune (the commune simulated).
simulation_faite = Signal()
