from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from guichet import admin_scoping, referencement, views

admin.site.login = secure_admin_login(admin.site.login)
admin_scoping.perimetre_partout(admin.site)


guichet_patterns = [
    path("", views.accueil, name="accueil"),
    path(
        "professionnels/", views.espace_public, {"public": "professionnels"}, name="professionnels"
    ),
    path(
        "etudiants-internes/",
        views.espace_public,
        {"public": "etudiants-internes"},
        name="etudiants_internes",
    ),
    path(
        "elus-collectivites/",
        views.espace_public,
        {"public": "elus-collectivites"},
        name="elus_collectivites",
    ),
    path(
        "porteurs-de-projet/",
        views.espace_public,
        {"public": "porteurs-de-projet"},
        name="porteurs_de_projet",
    ),
    path("plan-du-site/", views.plan_du_site, name="plan_du_site"),
    path("accessibilite/", views.page_editoriale, {"cle": "accessibilite"}, name="accessibilite"),
    path(
        "mentions-legales/",
        views.page_editoriale,
        {"cle": "mentions-legales"},
        name="mentions_legales",
    ),
    path(
        "donnees-personnelles/",
        views.page_editoriale,
        {"cle": "donnees-personnelles"},
        name="donnees_personnelles",
    ),
    path("cookies/", views.page_editoriale, {"cle": "cookies"}, name="cookies"),
    path("communes/", views.communes, name="communes"),
    path("communes/<slug:code>/", views.commune, name="commune"),
    path("recherche/", views.recherche, name="recherche"),
    path("compte/", views.mon_compte, name="mon_compte"),
    path("compte/mes-donnees.json", views.mes_donnees, name="mes_donnees"),
    path("compte/supprimer/", views.supprimer_mon_compte, name="supprimer_mon_compte"),
]

urlpatterns = [
    path("", include((guichet_patterns, "guichet"))),
    path("aides/", include("aides.urls")),
    path("installation/", include("installation.urls")),
    path("rendez-vous/", include("rendezvous.urls")),
    path("agenda/", include("installation.urls_agenda")),
    path("demographie/", include("demographie.urls")),
    path("espace-ars/opportunites/", include("opportunites.urls_moderation")),
    path("espace-ars/", include("espace.urls")),
    path("poser-une-question/", include("espace.urls_publiques")),
    path("opportunites/", include("opportunites.urls")),
    path("comptes/", include("allauth.urls")),
    path(
        f"{settings.ADMIN_URL}r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(admin_scoping.voir_sur_le_site),
        name="admin_voir_sur_le_site",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", referencement.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", referencement.sitemap_section, name="sitemap_section"),
    path("robots.txt", referencement.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", referencement.security_txt, name="security_txt"),
    path("favicon.ico", referencement.favicon, name="favicon"),
]

if settings.BENCH_MODE:  # the baseline view of `make bench`, never served otherwise
    urlpatterns.append(path("_bench/", include("benchmarks.urls")))

handler403 = "guichet.views.erreur_403"
handler404 = "guichet.views.erreur_404"
handler500 = "guichet.views.erreur_500"
