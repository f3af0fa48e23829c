"""The small hand-computed dataset the report tests use is what its docstring says."""



from ..conftest import small_dataset


def test_small_dataset_is_what_the_docstring_says(bank):
    d = small_dataset(bank)
    assert d.groupby(["municipality_code", "round"])["respondent_id"].nunique().to_dict() == {
        ("0114", "2023-11"): 6, ("0114", "2024-05"): 6, ("1880", "2023-11"): 6,
        ("1880", "2024-05"): 6, ("1883", "2023-11"): 6, ("1883", "2024-05"): 6,
        ("1884", "2024-05"): 3}
