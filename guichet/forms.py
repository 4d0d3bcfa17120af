import re
from dataclasses import dataclass

from django import forms
from django.conf import global_settings, settings
from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

from guichet.cache import garde, memoire
from guichet.models import Commune, Departement, User


def partager_rendu_dsfr() -> None:
    """One DSFR form renderer per process, for every DSFR form (ours and the apps').

    django-dsfr hands Django its renderer *class*, so each form instance gets a new renderer,
    hence a new template engine whose template cache starts empty: every form parsed and
    compiled its widget templates again on every request. A shared instance keeps them compiled.
    Same templates as the library's; a project that sets FORM_RENDERER keeps its own.
    """
    if settings.FORM_RENDERER == global_settings.FORM_RENDERER:
        DsfrBaseForm.default_renderer = DsfrDjangoTemplates()


class FormulaireDsfr(DsfrBaseForm):
    """The project's base form: DSFR markup, optional fields marked as the DSFR asks.

    Filter forms, where every field is optional, set ``marquer_facultatifs = False``.
    """

    marquer_facultatifs = True

    def get_context(self):
        context = forms.BaseForm.get_context(self)  # without django-dsfr's transitional warnings
        context["DSFR_MARK_OPTIONAL_FIELDS"] = self.marquer_facultatifs
        return context


def html_garde(form) -> str:
    """The HTML of a form whose markup depends only on its class and the values submitted (fixed
    choices, nothing read from the database: a staff list's filters), rendered once per process
    for each set of values (memory ``formulaires``): through the DSFR field templates, a
    two-field form costs about 2 ms on every display."""
    if form.is_bound:
        lire = getattr(form.data, "getlist", lambda nom: [form.data.get(nom)])
        valeurs = tuple((nom, tuple(map(str, lire(nom)))) for nom in form.fields)
    else:
        initiales = {nom: form.get_initial_for_field(c, nom) for nom, c in form.fields.items()}
        valeurs = tuple((nom, repr(v)) for nom, v in initiales.items())
    cle = (type(form).__module__, type(form).__qualname__, form.is_bound, valeurs)
    html = memoire("formulaires").get(cle)
    if html is None:
        html = str(form)
        memoire("formulaires").set(cle, html)
    return mark_safe(html)  # noqa: S308 - rendered by Django's form renderer


def _attributs(attrs: dict) -> str:
    """Django's widgets/attrs.html in Python: True as a bare attribute, False left out."""
    return mark_safe(  # noqa: S308 (each part built by format_html)
        "".join(
            format_html(" {}", nom) if valeur is True else format_html(' {}="{}"', nom, valeur)
            for nom, valeur in attrs.items()
            if valeur is not False
        )
    )


class SelectRapide(forms.Select):
    """A select rendered in Python, same markup as Django's select.html and select_option.html.

    Through the templates, each option is an ``{% include %}`` with its own context: a list
    page's filters (101 départements, professions, financeurs…) cost tens of milliseconds
    per request. Option groups are not supported (none of our lists has any).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for groupe, choix, _ in widget["optgroups"]:
            if groupe:
                raise ValueError("SelectRapide ne rend pas les groupes d'options.")
            options.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    o["value"],
                    _attributs(o["attrs"]),
                    o["label"],
                )
                for o in choix
            )
        return mark_safe(  # noqa: S308 (every part escaped by format_html above)
            format_html('<select name="{}"{}>', name, _attributs(widget["attrs"]))
            + "".join(options)
            + "\n</select>"
        )


@garde("options", "pages")
def choix_departements() -> list[tuple[str, str]]:
    """The 101 départements as (code, label), read on every page with a département select."""
    return [(d.code, str(d)) for d in Departement.objects.all()]


class ChampDepartement(forms.ChoiceField):
    """A département by code, its options kept in the process, its value a Departement."""

    widget = SelectRapide

    def __init__(self, *, empty_label="Choisir un département", **kwargs):
        super().__init__(choices=lambda: [("", empty_label), *choix_departements()], **kwargs)

    def prepare_value(self, value):
        return value.pk if isinstance(value, Departement) else value

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        departement = Departement.objects.filter(code=code).first()
        if departement is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": code}
            )
        return departement


_CODE_EN_FIN = re.compile(r"(\d[\dAB]\d{3})\s*\)?\s*$", re.IGNORECASE)
_CODE_INSEE = re.compile(r"\d[\dAB]\d{3}", re.IGNORECASE)

# A CommuneField reads two inputs. Under the field's own name, the commune the portal wrote:
# its INSEE code (links, permalinks, the hidden input, the aid exports' documented parameter),
# never read as a postal code. Under the name followed by this suffix, the text a person types
# (name, postal code, "name (code)", a suggestion's label), read as the search reads it.
SUFFIXE_SAISIE = "_saisie"


@dataclass(frozen=True)
class ReferenceCommune:
    """What a CommuneInput received: ``code``, the value written under the field's name (an
    INSEE code when the portal wrote it), and ``saisie``, the text input (None when absent:
    a link)."""

    code: str = ""
    saisie: str | None = None


def est_code_insee(valeur) -> bool:
    return bool(_CODE_INSEE.fullmatch(str(valeur or "").strip()))


class CommuneInput(forms.TextInput):
    """A text input for what a person types, enhanced by static/js/communes.js (suggestions),
    and a hidden input with the INSEE code of the commune the portal knows (pre-fill, chosen
    suggestion, a commune already resolved). Works without JavaScript: the typed text wins
    whenever it is no longer the known commune's label."""

    def __init__(self, attrs=None):
        base = {"data-commune-autocomplete": "", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        code, saisie = data.get(name), data.get(name + SUFFIXE_SAISIE)
        if code is None and saisie is None:
            return None
        return ReferenceCommune(code=str(code or ""), saisie=saisie)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + SUFFIXE_SAISIE not in data

    def commune_ecrite(self, value) -> tuple[str, str]:
        """(INSEE code, text) to write back in the form for this value."""
        commune = self.commune_de(value)
        if commune is not None:
            return commune.code, commune.libelle
        if isinstance(value, ReferenceCommune):
            return "", value.code if value.saisie is None else value.saisie
        return "", "" if value is None else str(value)

    def commune_de(self, value):
        """The commune a value names without reading any text: a Commune, a code written by the
        portal, or what the field has just resolved."""
        if isinstance(value, Commune):
            return value
        connue = getattr(self, "commune_connue", None)
        if isinstance(value, ReferenceCommune):
            if connue is not None:
                return connue
            value = value.code if value.saisie is None else None
        if value and est_code_insee(value):
            code = str(value).strip().upper()
            if connue is not None and connue.code == code:
                return connue
            return Commune.objects.select_related("departement").filter(pk=code).first()
        return None

    def render(self, name, value, attrs=None, renderer=None):
        code, texte = self.commune_ecrite(value)
        attrs = {**(attrs or {}), "data-commune-code": name}
        return format_html(
            '<input type="hidden" name="{}" value="{}">{}',
            name,
            code,
            super().render(name + SUFFIXE_SAISIE, texte, attrs, renderer),
        )


class CommuneField(forms.Field):
    """A commune: the INSEE code the portal wrote, or what a person typed: a name (accents,
    hyphens, « St » ignored), a postal code, or an INSEE code no postal code shares.

    A written INSEE code is never read as a postal code (97213 is Le Lamentin's INSEE code and
    Gros-Morne's postal code). An ambiguous answer re-renders the form with the candidates.
    """

    widget = CommuneInput
    default_error_messages = {
        "introuvable": "Aucune commune ne correspond à « %(saisie)s ». Vérifiez l'orthographe "
        "ou saisissez le code postal.",
        "ambigu": "Plusieurs communes correspondent à « %(saisie)s » : %(choix)s. Précisez en "
        "ajoutant le code postal (par exemple « %(exemple)s »).",
        "code_inconnu": "Aucune commune n'a le code INSEE « %(code)s ». Saisissez son nom ou son "
        "code postal.",
    }

    def clean(self, value):
        self.widget.commune_connue = None
        commune = super().clean(value)
        # The form shows it again: its widget need not look it up a second time.
        self.widget.commune_connue = commune
        return commune

    def has_changed(self, initial, data):
        try:
            commune = self.to_python(data)
        except forms.ValidationError:
            return True
        return (getattr(initial, "pk", initial) or "") != (commune.pk if commune else "")

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        if not isinstance(value, ReferenceCommune):  # a plain text: what a person typed
            return self.lire_saisie(value)
        ecrite = value.code.strip()
        if value.saisie is not None and value.saisie.strip() != "":
            commune = self.par_code(ecrite) if est_code_insee(ecrite) else None
            if commune is not None and value.saisie.strip() == commune.libelle:
                return commune  # the label the portal wrote next to it, unchanged
            return self.lire_saisie(value.saisie)
        if value.saisie is not None or not ecrite:  # the text input emptied: no commune
            return None
        if est_code_insee(ecrite):
            commune = self.par_code(ecrite)
            if commune is None:
                raise forms.ValidationError(
                    self.error_messages["code_inconnu"],
                    code="code_inconnu",
                    params={"code": ecrite[:5]},
                )
            return commune
        # Not an INSEE code: a name in an old link or a form posted by hand, read as typed.
        return self.lire_saisie(ecrite)

    @staticmethod
    def par_code(code: str):
        return Commune.objects.select_related("departement").filter(pk=code.upper()).first()

    def lire_saisie(self, value):
        """What a person typed: a name, a postal code, "name (code)", a suggestion's label."""
        saisie = (value or "").strip()
        if not saisie:
            return None
        if "\x00" in saisie:
            raise forms.ValidationError("Cette saisie contient des caractères non autorisés.")
        code = _CODE_EN_FIN.search(saisie)
        if code:
            # A trailing code is a postal code first (it narrows a name: "Saint-Denis 93200"),
            # then an INSEE code: 97232 is Le Lamentin's postal code, not Le Vauclin.
            nom = _nom_avant_code(saisie[: code.start()])
            postal, insee = code.group(1), code.group(1).upper()
            par_code_postal = Q(codes_postaux__contains=[postal])
            if nom:
                trouvees = Commune.objects.filter(par_code_postal).filter(
                    pk__in=Commune.objects.recherche(nom, 50).values("pk")
                )
            else:  # a bare code: both readings in one query
                trouvees = Commune.objects.filter(par_code_postal | Q(pk=insee))
            trouvees = list(trouvees.select_related("departement")[:11])
            candidats = [c for c in trouvees if postal in c.codes_postaux][:10]
            # "Melle 79500": Melle, not also Saint-Romans-lès-Melle (same postal code).
            exacts = [c for c in candidats if nom and _meme_nom(c.nom, nom)]
            if len(exacts) == 1:
                return exacts[0]
            if not candidats:
                commune = next((c for c in trouvees if c.pk == insee), None)
                if commune is None and nom:
                    commune = Commune.objects.select_related("departement").filter(pk=insee).first()
                if commune:
                    return commune
        else:
            candidats = list(Commune.objects.recherche(saisie, 10).select_related("departement"))
            exacts = [c for c in candidats if _meme_nom(c.nom, saisie)]
            if len(exacts) == 1:
                return exacts[0]
            if exacts:
                candidats = exacts
        if len(candidats) == 1:
            return candidats[0]
        if not candidats:
            raise forms.ValidationError(
                self.error_messages["introuvable"], code="introuvable", params={"saisie": saisie}
            )
        premier = candidats[0]
        raise forms.ValidationError(
            self.error_messages["ambigu"],
            code="ambigu",
            params={
                "saisie": saisie,
                "choix": ", ".join(
                    f"{c.nom} ({c.departement_id}, {' '.join(c.codes_postaux[:2])})"
                    for c in candidats[:6]
                ),
                "exemple": f"{premier.nom} {(premier.codes_postaux or [premier.code])[0]}",
            },
        )


def _nom_avant_code(texte: str) -> str:
    """The name part of "Niort — Deux-Sèvres (79), 79000" or "Saint-Denis 93200"."""
    return texte.split(" — ")[0].strip(" (-,")


def _meme_nom(nom: str, saisie: str) -> bool:
    from guichet.text import normalise_python

    return normalise_python(nom) == normalise_python(saisie)


class ProfilForm(FormulaireDsfr, forms.ModelForm):
    commune_interet = CommuneField(
        label="Commune qui m'intéresse",
        required=False,
        help_text="Nom de la commune ou code postal, par exemple « Niort » ou « 79000 ».",
    )

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "profession",
            "specialite",
            "situation",
            "departement_interet",
            "commune_interet",
        ]
        labels = {"first_name": "Prénom", "last_name": "Nom"}

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune_interet")
        if commune and not cleaned.get("departement_interet"):
            cleaned["departement_interet"] = commune.departement
        return cleaned


class SuppressionCompteForm(FormulaireDsfr):
    mot_de_passe = forms.CharField(
        label="Votre mot de passe, pour confirmer", widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_mot_de_passe(self):
        if not self.user.check_password(self.cleaned_data["mot_de_passe"]):
            raise forms.ValidationError("Mot de passe incorrect : le compte n'est pas supprimé.")
        return ""
