from django.urls import reverse


def test_the_coordinator_sees_the_task_force_home(login, coordinator, task_force):
    response = login(coordinator).get(reverse("taskforce:home", args=[task_force.slug]))
    assert response.status_code == 200
    assert "Cora Coordinator" in response.content.decode()
