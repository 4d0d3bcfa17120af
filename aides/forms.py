from django import forms

from aides.models import Secteur
from guichet.forms import CommuneField, FormulaireDsfr
from guichet.models import Commune
from guichet.vocabulaire import MODES_CABINET, Profession, Situation, choix

OUI_NON = [("oui", "Oui"), ("non", "Non")]

# The simulator's steps, in order; each is one screen without JavaScript.
ETAPES = [
    ("Votre profession", ["profession"]),
    ("Votre situation", ["situation"]),
    ("Votre lieu d'exercice", ["commune"]),
    ("Votre projet", ["exercice", "secteur", "premiere", "aide_recente"]),
]


class SimulateurForm(FormulaireDsfr):
    profession = forms.ChoiceField(
        label="Quelle est votre profession ?", choices=Profession.choices, widget=forms.RadioSelect
    )
    situation = forms.ChoiceField(
        label="Où en êtes-vous ?", choices=Situation.choices, widget=forms.RadioSelect
    )
    commune = CommuneField(
        label="Dans quelle commune voulez-vous exercer ?",
        help_text="Nom de la commune ou code postal, par exemple « Niort » ou « 79000 ».",
    )
    exercice = forms.ChoiceField(
        label="Comment voulez-vous exercer ?",
        choices=choix(MODES_CABINET),
        widget=forms.RadioSelect,
    )
    secteur = forms.ChoiceField(
        label="Secteur conventionnel (médecins)",
        choices=[("", "Sans objet (je ne suis pas médecin)"), *Secteur.choices],
        required=False,
    )
    premiere = forms.ChoiceField(
        label="S'agit-il de votre première installation en libéral ?",
        choices=OUI_NON,
        widget=forms.RadioSelect,
    )
    aide_recente = forms.ChoiceField(
        label="Avez-vous reçu une aide à l'installation de l'Assurance Maladie ces 10 dernières "
        "années ?",
        choices=OUI_NON,
        widget=forms.RadioSelect,
    )

    def repondu(self, nom: str) -> bool:
        return not self.fields[nom].widget.value_omitted_from_data(
            self.data, self.files, self.add_prefix(nom)
        )

    def etape_courante(self) -> int:
        """Index of the first step with an unanswered or invalid field; len(ETAPES) when done."""
        for index, (_, champs) in enumerate(ETAPES):
            for nom in champs:
                if not self.repondu(nom) or nom in self.errors:
                    return index
        return len(ETAPES)

    def reponses(self, sauf=()) -> dict[str, str]:
        """The valid answers, as the portal writes them (the commune by its INSEE code), in the
        steps' order, without the fields in ``sauf``."""
        if not self.is_bound:
            return {}
        self.is_valid()  # cleans the form once; invalid fields are left out below
        reponses = {}
        for _, champs in ETAPES:
            for nom in champs:
                if nom in sauf or not self.repondu(nom) or nom not in self.cleaned_data:
                    continue
                valeur = self.cleaned_data[nom]
                reponses[nom] = valeur.code if isinstance(valeur, Commune) else valeur
        return reponses
