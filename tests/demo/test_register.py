"""The SYNTHETIC demo register passes its own contract."""



from dimios_lib.contracts.register import read_register
from dimios_lib.demo.register import write_register_demo


def test_demo_register_is_valid_and_synthetic(tmp_path):
    reg = read_register(write_register_demo(tmp_path))
    assert reg.synthetic and len(reg.initiatives) >= 7 * 4
    assert set(reg.initiatives["municipality_code"]) == {"1440", "1401", "1482", "1481",
                                                         "1402", "1415", "1419"}
