import pytest

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory


@pytest.fixture
def territoires(db):
    """Two regions, each with one département and one commune."""
    region_a = RegionFactory(code="A1", nom="Région A")
    region_b = RegionFactory(code="B1", nom="Région B")
    dep_a = DepartementFactory(code="A1D", nom="Département A", region=region_a)
    dep_b = DepartementFactory(code="B1D", nom="Département B", region=region_b)
    return {
        "region_a": region_a,
        "region_b": region_b,
        "dep_a": dep_a,
        "dep_b": dep_b,
        "commune_a": CommuneFactory(code="00001", nom="Villeneuve-A", departement=dep_a),
        "commune_b": CommuneFactory(code="00002", nom="Villeneuve-B", departement=dep_b),
    }


@pytest.fixture
def agent_a(territoires):
    return UserFactory(agent_ars=True, regions=[territoires["region_a"]])


@pytest.fixture
def referent_a(territoires):
    return UserFactory(
        referent=True, departements=[territoires["dep_a"]], first_name="Rémi", last_name="Réf"
    )


@pytest.fixture
def referent_b(territoires):
    return UserFactory(referent=True, departements=[territoires["dep_b"]])
