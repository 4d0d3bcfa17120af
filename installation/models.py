from installation.models_rendezvous import (  # noqa: F401 - models of the rendez-vous module
    Absence,
    Lieu,
    MotifRendezVous,
    Notification,
    PlageOuverture,
    Referent,
    RendezVous,
)
