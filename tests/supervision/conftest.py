from tests.materials.conftest import _province_once, province, standard_chains  # noqa: F401  shared fixtures
