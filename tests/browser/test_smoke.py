def test_editor_signs_in_and_sees_the_demo_manual(login):
    page = login("editor")
    assert "กองนโยบายและแผนงาน" in page.content()
