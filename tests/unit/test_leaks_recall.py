"""The rules added for recall (issue 12): Azure storage keys, Django SECRET_KEY, passwords
in every config syntax, credentials in URLs, table columns, values on the next line; each
with the hard negatives that look like it (hashes, UUIDs, placeholders, masks, docs).

Every secret is generated from a seed at run time: the repository holds no secret-shaped
literal. Each case runs the real scanner and asserts which rules fired, exactly.
"""

from __future__ import annotations

import base64
import hashlib
import random
import string

import pytest

from synthcheck.leaks import LeakScanner
from synthcheck.leaks.guards import is_placeholder
from synthcheck.leaks.literals import credential_literal
from synthcheck.leaks.shapes import machine_random, random_case
from synthcheck.leaks.tables import table_cells

SCANNER = LeakScanner([])
RNG = random.Random(20261212)
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
DJANGO_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"


def pick(alphabet: str, n: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def generated(alphabet: str, n: int) -> str:
    """A random value mixing upper, lower and digits (as every generator's output does)."""
    while True:
        value = pick(alphabet, n)
        if all(any(t(c) for c in value) for t in (str.isupper, str.islower, str.isdigit)):
            return value


def letters_only() -> str:
    """A generated password of letters only (no digit, no symbol): random case."""
    while True:
        value = pick(string.ascii_letters, 16)
        if random_case(value):
            return value


def django_key() -> str:
    while True:
        value = pick(DJANGO_ALPHABET, 50)
        if any(c.isdigit() for c in value) and "%(" not in value:
            return value


def camel_like() -> str:
    """Random letters where every capital is followed by 1-3 small ones (``xLvuMxr…``):
    CamelCase in form, a generator's output in its short runs."""
    while True:
        value = pick(string.ascii_lowercase, 1) + "".join(
            pick(string.ascii_uppercase, 1) + pick(string.ascii_lowercase, RNG.randint(1, 3))
            for _ in range(5)
        )
        if random_case(value):
            return value


# The Azure Storage emulator's published devstoreaccount1 key (documentation).
AZURITE = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURE = base64.b64encode(RNG.randbytes(64)).decode()
AZURE_B64 = base64.b64encode(AZURE.encode()).decode()
AWS_ID = "AKIA" + pick(string.ascii_uppercase + "234567", 16)
DJANGO = django_key()
DJANGO_TEMPLATE_BY_CHANCE = DJANGO[:20] + "%(" + DJANGO[22:48] + "%s"
PASSWORD = generated(ALNUM, 12) + "#_"
LETTERS = letters_only()
TOKEN = generated(ALNUM, 40)
URL_PASSWORD = generated(ALNUM, 20)
CAMEL_LIKE = camel_like()
SHA1 = hashlib.sha1(RNG.randbytes(8)).hexdigest()
SHA256 = hashlib.sha256(RNG.randbytes(8)).hexdigest()
FRED_LIKE = pick(HEX, 31) + "a"


def rules(text: str) -> list[str]:
    return [finding.rule for finding in SCANNER.scan(text)]


POSITIVES: dict[str, tuple[str, list[str]]] = {
    # Azure storage
    "azure connection string": (
        f"AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=stfred;"
        f"AccountKey={AZURE};EndpointSuffix=core.windows.net\n",
        ["azure-storage-key"],
    ),
    "azure bare AccountKey": (f"AccountKey={AZURE}\n", ["azure-storage-key"]),
    "azure key in .env": (f"AZURE_STORAGE_KEY={AZURE}\n", ["azure-storage-key"]),
    "azure key in json": (f'{{"storageAccountKey": "{AZURE}"}}\n', ["azure-storage-key"]),
    "azure terraform output": (f'primary_access_key = "{AZURE}"\n', ["azure-storage-key"]),
    "azure key in a k8s Secret": (
        f"data:\n  AZURE_STORAGE_KEY: {AZURE_B64}\n",
        ["azure-storage-key"],
    ),
    "azure SAS url": (
        "https://stfred.blob.core.windows.net/c/b.csv?sv=2022-11-02&ss=b&srt=o&sp=r"
        f"&se=2026-01-01T00:00:00Z&sig={generated(ALNUM, 43)}%3D\n",
        ["azure-sas-signature"],
    ),
    "aws key id in a k8s Secret": (
        f"data:\n  AWS_ACCESS_KEY_ID: {base64.b64encode(AWS_ID.encode()).decode()}\n",
        ["aws-access-key-id"],
    ),
    # Django
    "django settings insecure": (
        f"SECRET_KEY = 'django-insecure-{DJANGO}'\n",
        ["django-secret-key"],
    ),
    "django .env": (f"DJANGO_SECRET_KEY={DJANGO}\n", ["django-secret-key"]),
    "django k8s env": (
        f'        - name: DJANGO_SECRET_KEY\n          value: "{DJANGO}"\n',
        ["django-secret-key"],
    ),
    "django web.config": (
        f'<add key="DjangoSecretKey" value="{DJANGO.replace("&", "&amp;")}" />\n',
        ["django-secret-key"],
    ),
    "django properties": (f"django.secret.key={DJANGO}\n", ["django-secret-key"]),
    "django key holding %( and %s": (
        f"SECRET_KEY = '{DJANGO_TEMPLATE_BY_CHANCE}'\n",
        ["django-secret-key"],
    ),
    # passwords
    "django key holding *** by chance": (
        f'DJANGO_SECRET_KEY: "{DJANGO[:20]}***{DJANGO[23:]}"\n',
        ["django-secret-key"],
    ),
    "aws key id without a digit, base64 in a k8s Secret": (
        "  AWS_ACCESS_KEY_ID: "
        + base64.b64encode(("AKIA" + pick(string.ascii_uppercase, 16)).encode()).decode()
        + "\n",
        ["aws-access-key-id"],
    ),
    "password letters only .env": (f"DB_PASSWORD={LETTERS}\n", ["password-assignment"]),
    "password with a lone star": (
        f'ADMIN_PASSWORD = "{PASSWORD[:6]}*{PASSWORD[6:]}"\n',
        ["password-assignment"],
    ),
    "password starting with a star": (
        f"spring.datasource.password=*{PASSWORD}\n",
        ["password-assignment"],
    ),
    "password starting with % or !": (
        f'Password=%{URL_PASSWORD};\nPOSTGRES_PASSWORD: "!{URL_PASSWORD[::-1]}"\n',
        ["password-assignment", "password-assignment"],
    ),
    "django key as a terraform default": (
        f'variable "secret_key" {{\n  default   = "{DJANGO_TEMPLATE_BY_CHANCE}"\n}}\n',
        ["terraform-variable-default"],
    ),
    "password ending with a star": (
        f"spring.datasource.password={PASSWORD}*\n",
        ["password-assignment"],
    ),
    "basic credentials whose password starts with %s": (
        "Authorization: Basic " + base64.b64encode(f"ci:%s{URL_PASSWORD}".encode()).decode() + "\n",
        ["basic-auth"],
    ),
    "password with & in .properties": (
        f"spring.datasource.password={PASSWORD[:7]}&{PASSWORD[7:]}\n",
        ["password-assignment"],
    ),
    "password in an XML-escaped connection string": (
        f'<add connectionString="Server=sql01;User Id=app;Password={PASSWORD[:7]}&amp;'
        f'{PASSWORD[7:]};" />\n',
        ["password-assignment"],
    ),
    "password in an XML attribute": (
        f'<user name="svc" password="{PASSWORD}"/>\n',
        ["password-assignment"],
    ),
    # URLs
    "url at an example host, generated password": (
        f"ARG PIP_INDEX_URL=https://build:{URL_PASSWORD}@pypi.example.com/simple/\n",
        ["url-credentials"],
    ),
    "url at an example host, random-case letters": (
        f"https://build:{CAMEL_LIKE}@pypi.example.com/simple/\n",
        ["url-credentials"],
    ),
    "url redis no user": (f"redis://:{URL_PASSWORD}@cache.internal:6379/0\n", ["url-credentials"]),
    "url mongodb+srv": (
        f"mongodb+srv://app:{URL_PASSWORD}@cluster0.ab12c.mongodb.net/app\n",
        ["url-credentials"],
    ),
    # generic tokens
    "csv column named key": (
        f"id,owner,service,key,status\n{pick(HEX, 8)},ops@example.org,internal,{TOKEN},active\n",
        ["table-column-secret"],
    ),
    "tsv column named client_secret": (
        f"name\tclient_secret\tcreated\nci\t{TOKEN}\t2026-01-01\n",
        ["table-column-secret"],
    ),
    "csv quoted, after a blank line": (
        f'# export\n\n"id","api_token"\n"1","{TOKEN}"\n',
        ["table-column-secret"],
    ),
    "markdown table": (
        f"| service | token |\n|---|---|\n| ci | {TOKEN} |\n",
        ["table-column-secret"],
    ),
    "value on the next line": (f"API_TOKEN:\n  {TOKEN}\n", ["secret-next-line"]),
    "xml-escaped appSettings": (
        f"&lt;add key=&quot;ApiToken&quot; value=&quot;{TOKEN}&quot; /&gt;\n",
        ["secret-assignment"],
    ),
    "token with 'your' by chance in mixed case": (
        f'INTERNAL_API_TOKEN: "{TOKEN[:20]}iYOuRAf{TOKEN[20:]}"\n',
        ["secret-assignment"],
    ),
    "terraform variable ending in _key": (
        f'variable "azure_storage_key" {{\n  sensitive = true\n  default   = "{TOKEN}"\n}}\n',
        ["terraform-variable-default"],
    ),
}


@pytest.mark.parametrize("case", sorted(POSITIVES))
def test_found_by_the_expected_rule(case: str) -> None:
    text, expected = POSITIVES[case]
    assert rules(text) == expected


NEGATIVES: dict[str, str] = {
    # Azure
    "azurite's published emulator key": f"AccountKey={AZURITE}\n",
    "aws docs key id in a k8s Secret": (
        f"  AWS_ACCESS_KEY_ID: {base64.b64encode(b'AKIAIOSFODNN7EXAMPLE').decode()}\n"
    ),
    "azure dev storage": "AZURE_STORAGE_CONNECTION_STRING=UseDevelopmentStorage=true\n",
    "azure key placeholder": "AZURE_STORAGE_KEY=<your-storage-account-key>\n",
    "sig= without a SAS": f"https://cdn.example.org/app.js?v=3&sig={SHA1}\n",
    # Django
    "django key from the environment": "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n",
    "django key placeholder": "SECRET_KEY = 'change-me-in-production-please-now'\n",
    "django key template": "SECRET_KEY=${DJANGO_SECRET_KEY}\n",
    "django key masked after a prefix": f"SECRET_KEY = '{DJANGO[:10]}{'*' * 40}'\n",
    "django debug page masks it": "SECRET_KEY\n'********************'\n",
    # passwords
    "password empty": "DB_PASSWORD=\n",
    "password variable": "DB_PASSWORD=${DB_PASSWORD}\n",
    "password redacted": "password: <redacted>\n",
    "password changeme": "password = changeme\n",
    "password masked": 'password: "********"\n',
    "password masked with a prefix": "password=ab12****\n",
    "password truncated for display": "password = pypi-AgEIcHlwaS5vcmc...\n",
    "password vault reference": "password: vault:secret/data/db#password\n",
    "password a Windows variable": 'password: "%APPDATA%\\pw1"\npassword: "%DB_PASSWORD%"\n',
    "password a YAML tag or annotation": 'password: !Ref DbPassword1\npassword: "@Value(db.pw)"\n',
    "password from code": 'password = os.environ["DB_PASSWORD"]\n',
    "password hashing scheme": "password_hashing: bcrypt_sha256\n",
    "password CamelCase words": "ADMIN_PASSWORD=CorrectHorseBatteryStaple\n",
    "password k8s secretKeyRef": "- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n",
    "password base64 of a placeholder": (
        f"  DB_PASSWORD: {base64.b64encode(b'changeme').decode()}\n"
        f"  ALPHA_VANTAGE_API_KEY: {base64.b64encode(b'demo').decode()}\n"
    ),
    # URLs
    "url user without password": "https://user:@host.internal/\n",
    "url templated password": "postgres://app:${DB_PASSWORD}@db/app\n",
    "url starred password": "redis://:***@cache:6379\n",
    "url typed password at an example host": (
        "mysql://admin:s3cr3t-pa55@db.example.com/shop\nhttps://alice:Hunter2Hunter2@example.org/\n"
    ),
    # tables
    "csv hash column": f"id,sha256,size\n1,{SHA256},10\n",
    "csv i18n keys": "key,value\nwelcome_message,Welcome to the dashboard\nlogin.button,Sign in\n",
    "csv metric keys": "key,count\nuser_signup_event_total,10\nAPI_REQUESTS_PER_MINUTE,5\n",
    "csv masked and truncated keys": (
        f"id,service,key,status\n1,fred,{FRED_LIKE[:4]}…{FRED_LIKE[-4:]},revoked\n2,x,****,active\n"
    ),
    "csv key id column": f"key_id,owner\n{TOKEN},ops\n",
    # next line
    "next line is the next mapping key": "token:\n  name: deploy\n",
    "next line is a list": "secrets:\n  - GITHUB_TOKEN\n",
    "next line is a word": "password:\n  required\n",
    "next line is a hash": f"token_sha1:\n  {SHA1}\n",
}


@pytest.mark.parametrize("case", sorted(NEGATIVES))
def test_hard_negative_not_reported(case: str) -> None:
    assert rules(NEGATIVES[case]) == []


def test_healthy_variants_stay_quiet_repeatedly() -> None:
    """Fresh hashes, UUIDs and git SHAs under non-secret names: never a finding."""
    rng = random.Random(7)
    for _ in range(200):
        digest = hashlib.sha256(rng.randbytes(8)).hexdigest()
        commit = hashlib.sha1(rng.randbytes(8)).hexdigest()
        text = (
            f"checksum: {digest}\ncommit = {commit}\nrequest_id={rng.getrandbits(128):032x}\n"
            f"id,sha1,size\n1,{commit},20\n"
        )
        assert rules(text) == []


def test_random_case_tells_generated_letters_from_words() -> None:
    assert random_case(LETTERS)
    for words in ("CorrectHorseBatteryStaple", "HelloWorldFooBar", "getAuthHeaderValue"):
        assert not random_case(words)


def test_machine_random_needs_a_generator_shape() -> None:
    assert machine_random(URL_PASSWORD)
    for typed in ("s3cr3t-pa55", "Hunter2Hunter2", "letmein42", "MyP4ssw0rd"):
        assert not machine_random(typed)


def test_placeholder_words_count_only_when_written_as_words() -> None:
    assert is_placeholder("YOUR_TOKEN_HERE")
    assert is_placeholder("your-api-key")
    assert not is_placeholder(f"{TOKEN[:10]}rhERE_zm{TOKEN[10:]}")
    assert not is_placeholder(f"{TOKEN[:10]}Non%sRav{TOKEN[10:]}")  # not a printf slot
    assert is_placeholder("password=%s")


def test_credential_literal_judges_base64_by_what_it_holds() -> None:
    assert credential_literal(base64.b64encode(PASSWORD.encode()).decode())
    assert not credential_literal(base64.b64encode(b"your-key-here").decode())


def test_table_cells_ignore_binary_bytes() -> None:
    assert list(table_cells(f"\0\0id,token\n1,{TOKEN}\n")) == []


def test_table_cells_point_at_the_cell() -> None:
    text = f"id,token\n1,{TOKEN}\n\nunrelated text\n"
    [(start, end)] = list(table_cells(text))
    assert text[start:end] == TOKEN
