import factory
from django.contrib.auth.models import Group

from projects.models import COORDINATOR_GROUP, HR_GROUP, Membership, OrgUnit, Project, Role, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    full_name = factory.Faker("name", locale="no_NO")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            # get_or_create: a transactional (browser) test flushes the groups the migration made.
            self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


def coordinator(**kwargs):
    return UserFactory(groups=[COORDINATOR_GROUP], **kwargs)


def hr_adviser(**kwargs):
    return UserFactory(groups=[HR_GROUP], **kwargs)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Enhet {n}")
    kind = OrgUnit.Kind.UNIT
    parent = factory.LazyFunction(
        lambda: OrgUnit.objects.get_or_create(
            name="Avdeling",
            kind=OrgUnit.Kind.DEPARTMENT,
            parent=OrgUnit.objects.get_or_create(name="Kommune", kind=OrgUnit.Kind.MUNICIPALITY, parent=None)[0],
        )[0]
    )


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Prosjekt {n}")
    case_number = factory.Sequence(lambda n: f"2026/{n + 100}")
    created_by = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    role = Role.MEMBER


def member(project, role, **user_kwargs):
    """A new user holding `role` in `project`."""
    return MembershipFactory(project=project, role=role, user=UserFactory(**user_kwargs)).user
