from observatoire import ports


def test_offered_gathers_every_provider_once():
    port = "test_port_gathers"
    ports.provide(port, lambda code: [f"a:{code}"])

    def second(code):
        return [f"b:{code}", f"c:{code}"]

    ports.provide(port, second)
    ports.provide(port, second)
    assert ports.offered(port, "62") == ["a:62", "b:62", "c:62"]


def test_an_unprovided_port_offers_nothing():
    assert ports.offered("test_port_nobody_provides", "62") == []
