"""Provider token formats, masked key prefixes and context rules: found where users meet
them, and left alone in their look-alikes (hashes, ids, placeholders, code, prose).

Every secret here is generated from a seed at run time, so the repository holds no
secret-shaped literal.
"""

from __future__ import annotations

import base64
import hashlib
import random
import string
import uuid

import pytest

from synthcheck.leaks import LeakScanner

SCANNER = LeakScanner([])
RNG = random.Random(20261201)
ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
HEX = "0123456789abcdef"


def pick(alphabet: str, n: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def mixed(alphabet: str, n: int) -> str:
    """A random value that surely mixes upper case, lower case and digits."""
    while True:
        value = pick(alphabet, n)
        if all(any(test(c) for c in value) for test in (str.isupper, str.islower, str.isdigit)):
            return value


FRED = pick(LOWER_ALNUM, 30) + "7q"
AV = pick(string.ascii_uppercase + string.digits, 15) + "K"
SENDGRID = f"SG.{mixed(ALNUM, 22)}.{mixed(ALNUM + '_-', 43)}"
OPENAI_PROJECT = f"sk-proj-{mixed(ALNUM + '_-', 120)}"
OPENAI_LEGACY = f"sk-{mixed(ALNUM, 48)}"
STRIPE_TEST = f"sk_test_{mixed(ALNUM, 24)}"
GITLAB = f"glpat-{mixed(ALNUM, 20)}"
NPM = f"npm_{mixed(ALNUM, 36)}"
PYPI = "pypi-" + base64.b64encode(b"\x02\x01\x08pypi.org").decode().rstrip("=") + pick(ALNUM, 120)
DOCKER = f"dckr_pat_{mixed(ALNUM + '_-', 27)}"
TWILIO_SK = f"SK{pick(HEX, 31)}a"
TWILIO_AC = f"AC{pick(HEX, 31)}b"
TWILIO_TOKEN = pick(HEX, 31) + "c"
AZURE_KEY = mixed(ALNUM + "+/", 86) + "=="
SAS_SIG = mixed(ALNUM, 40) + "%3D"
GOOGLE_OAUTH = f"GOCSPX-{mixed(ALNUM + '_-', 28)}"
HUGGINGFACE = "hf_Qa" + pick(string.ascii_letters, 32)
PASSWORD = "Xk9" + mixed(ALNUM, 9) + "!"
TOKEN = mixed(ALNUM, 40)
DISCORD = mixed(ALNUM + "_-", 68)
TEAMS = f"{uuid.UUID(int=RNG.getrandbits(128))}@{uuid.UUID(int=RNG.getrandbits(128))}/IncomingWebhook/{pick(HEX, 32)}/{uuid.UUID(int=RNG.getrandbits(128))}"
MAILCHIMP = pick(HEX, 31) + "e-us14"
SQUARE = f"sq0atp-{mixed(ALNUM + '_-', 22)}"
SHOPIFY = f"shpat_{pick(HEX, 31)}d"
TELEGRAM = f"{pick(string.digits, 10)}:AA{mixed(ALNUM + '_-', 33)}"
AZURE_AD = f"{mixed(ALNUM, 3)}8Q~{mixed(ALNUM + '_~.-', 34)}"
ANTHROPIC = f"sk-ant-api03-{mixed(ALNUM + '_-', 93)}AA"
NPM_AUTH = base64.b64encode(f"ci:{PASSWORD}".encode()).decode().rstrip("=")
DOCKER_AUTH = base64.b64encode(f"ci:{PASSWORD}".encode()).decode()
AWS_SECRET = mixed(ALNUM + "/+", 40)
AWS_SESSION = mixed(ALNUM + "/+", 300)
PUNCT_PASSWORD = "a,b(c)" + mixed(ALNUM, 8) + "1!"
HEROKU = str(uuid.UUID(int=RNG.getrandbits(128)))
PEM_BODY = base64.b64encode(RNG.randbytes(90)).decode()
DJANGO = "django-insecure-" + mixed(ALNUM + "!@#^&*-_=+", 50)

# (name, text, secret that must be found, expected kind)
POSITIVES: list[tuple[str, str, str, str]] = [
    ("sendgrid in .env", f"SENDGRID_API_KEY={SENDGRID}\n", SENDGRID, "sendgrid"),
    ("sendgrid in code", f'sg = SendGridAPIClient("{SENDGRID}")\n', SENDGRID, "sendgrid"),
    ("openai project key", f'OPENAI_API_KEY="{OPENAI_PROJECT}"\n', OPENAI_PROJECT, "openai"),
    ("anthropic key", f"ANTHROPIC_API_KEY={ANTHROPIC}\n", ANTHROPIC, "anthropic"),
    ("npmrc _auth", f"registry=https://npm.acme.io/\n_auth={NPM_AUTH}\n", NPM_AUTH, "npm"),
    ("openai legacy key", f"client = OpenAI(api_key='{OPENAI_LEGACY}')\n", OPENAI_LEGACY, "openai"),
    ("stripe test key", f"stripe.api_key = '{STRIPE_TEST}'\n", STRIPE_TEST, "stripe"),
    (
        "gitlab pat in CI",
        f"git clone https://oauth2:{GITLAB}@gitlab.com/a/b.git\n",
        GITLAB,
        "gitlab",
    ),
    ("npm token in .npmrc", f"//registry.npmjs.org/:_authToken={NPM}\n", NPM, "npm"),
    ("pypi token in .pypirc", f"[pypi]\nusername = __token__\npassword = {PYPI}\n", PYPI, "pypi"),
    (
        "docker hub in CI log",
        f"+ echo {DOCKER} | docker login -u ci --password-stdin\n",
        DOCKER,
        "docker",
    ),
    ("twilio api key", f"TWILIO_API_KEY={TWILIO_SK}\n", TWILIO_SK, "twilio"),
    ("twilio account sid", f"twilio:\n  account_sid: {TWILIO_AC}\n", TWILIO_AC, "twilio"),
    ("twilio auth token", f"TWILIO_AUTH_TOKEN={TWILIO_TOKEN}\n", TWILIO_TOKEN, "twilio"),
    (
        "azure connection string",
        "DefaultEndpointsProtocol=https;AccountName=acme;"
        f"AccountKey={AZURE_KEY};EndpointSuffix=core.windows.net\n",
        AZURE_KEY,
        "azure",
    ),
    (
        "azure sas url",
        "https://acme.blob.core.windows.net/backups/db.tgz?sv=2022-11-02&ss=b&srt=o&sp=r"
        f"&se=2030-01-01T00:00:00Z&sig={SAS_SIG}\n",
        SAS_SIG,
        "azure",
    ),
    ("google oauth secret", f'{{"client_secret": "{GOOGLE_OAUTH}"}}\n', GOOGLE_OAUTH, "google"),
    ("hugging face token", f"HF_TOKEN={HUGGINGFACE}\n", HUGGINGFACE, "huggingface"),
    (
        "discord webhook",
        f"DISCORD_WEBHOOK=https://discord.com/api/webhooks/{pick(string.digits, 18)}/{DISCORD}\n",
        DISCORD,
        "discord",
    ),
    (
        "teams webhook",
        f"url: https://acme.webhook.office.com/webhookb2/{TEAMS}\n",
        TEAMS,
        "teams",
    ),
    ("mailchimp key", f"MAILCHIMP_API_KEY={MAILCHIMP}\n", MAILCHIMP, "mailchimp"),
    ("square token", f"SQUARE_ACCESS_TOKEN={SQUARE}\n", SQUARE, "square"),
    ("shopify token", f"X-Shopify-Access-Token: {SHOPIFY}\n", SHOPIFY, "shopify"),
    ("telegram bot token", f"bot = Bot(token='{TELEGRAM}')\n", TELEGRAM, "telegram"),
    ("azure ad client secret", f"AZURE_CLIENT_SECRET={AZURE_AD}\n", AZURE_AD, "azure"),
    ("heroku api key (a uuid)", f"HEROKU_API_KEY={HEROKU}\n", HEROKU, "generic"),
    (
        "password, JSON in a log line",
        '{"msg": "{\\"password\\":\\"' + PASSWORD + '\\"}"}\n',
        PASSWORD,
        "password",
    ),
    (
        "password in a settings table",
        f"<tr><td>DB_PASSWORD</td><td><code>&#39;{PASSWORD}&#39;</code></td></tr>\n",
        PASSWORD,
        "password",
    ),
    (
        "password in a jdbc url",
        f"jdbc:postgresql://db/app?user=app&password={PASSWORD}&ssl=1\n",
        PASSWORD,
        "password",
    ),
    (
        "password in a .NET connection string",
        f"Server=db;User Id=sa;Password={PASSWORD};\n",
        PASSWORD,
        "password",
    ),
    (
        "docker config.json auth",
        '{"auths": {"https://index.docker.io/v1/": {"auth": "' + DOCKER_AUTH + '"}}}\n',
        DOCKER_AUTH,
        "docker",
    ),
    (
        "dockerfile ENV, space form",
        f"FROM python:3.12\nENV DB_PASSWORD {PASSWORD}\n",
        PASSWORD,
        "password",
    ),
    (
        "terraform aws provider",
        f'provider "aws" {{\n  region = "eu-west-1"\n  secret_key = "{AWS_SECRET}"\n}}\n',
        AWS_SECRET,
        "aws",
    ),
    ("aws session token", f"[default]\naws_session_token = {AWS_SESSION}\n", AWS_SESSION, "aws"),
    ("har header pair", f'{{"name": "X-Api-Key", "value": "{TOKEN}"}}\n', TOKEN, "token_header"),
    ("har query pair", f'{{"name": "access_token", "value": "{TOKEN}"}}\n', TOKEN, "generic"),
    (
        "web.config appSettings",
        f'<add key="SmtpPassword" value="{PASSWORD}" />\n',
        PASSWORD,
        "password",
    ),
    ("application.properties", f"api.key={TOKEN}\n", TOKEN, "generic"),
    (
        "werkzeug traceback with &#34; quotes",
        f"<pre>    params = {{&#34;series_id&#34;: s, &#34;api_key&#34;: &#34;{FRED}&#34;}}</pre>\n",
        FRED,
        "fred",
    ),
    ("fred key as a yaml block scalar", f"fred_api_key: >-\n  {FRED}\n", FRED, "fred"),
    (
        "kubernetes env pair, token",
        f'env:\n  - name: NOTIFIER_TOKEN\n    value: "{TOKEN}"\n',
        TOKEN,
        "generic",
    ),
    (
        "kubernetes env pair, password",
        f"env:\n  - name: DB_PASSWORD\n    value: {PASSWORD}\n",
        PASSWORD,
        "password",
    ),
    ("DJANGO_SECRET_KEY in .env", f"DJANGO_SECRET_KEY='{DJANGO}'\n", DJANGO, "django"),
    ("djangoSecretKey in json", f'{{"djangoSecretKey": "{DJANGO}"}}\n', DJANGO, "django"),
    ("SECRET_KEY bare in .env", f"SECRET_KEY={DJANGO}\n", DJANGO, "django"),
    (
        "password in an xml element",
        f"<server><password>{PASSWORD}</password></server>\n",
        PASSWORD,
        "password",
    ),
    (
        "quoted password with punctuation",
        f"DATABASES = {{'default': {{'PASSWORD': '{PUNCT_PASSWORD}', 'HOST': 'db'}}}}\n",
        PUNCT_PASSWORD,
        "password",
    ),
    ("azure storage key by name", f'AZURE_STORAGE_KEY="{AZURE_KEY}"\n', AZURE_KEY, "azure"),
    (
        "terraform variable default",
        f'variable "db_password" {{\n  type      = string\n  default   = "{PASSWORD}"\n}}\n',
        PASSWORD,
        "password",
    ),
    # the families of keys outside key=value
    ("fred key below its name", f"FRED API key:\n    {FRED}\n", FRED, "fred"),
    ("fred key in toml table", f'[fred]\nkey = "{FRED}"\n', FRED, "fred"),
    ("fred key as --api-key", f"$ ./fetch --api-key={FRED} --series UNRATE\n", FRED, "fred"),
    (
        "django debug page settings row",
        f'<tr>\n  <td>FRED_API_KEY</td>\n  <td class="code"><pre>&#39;{FRED}&#39;</pre></td>\n</tr>\n',
        FRED,
        "fred",
    ),
    ("fred key truncated", f"fred key={FRED[:10]}… (truncated)\n", FRED[:10], "fred"),
    ("fred key starred", f"FRED_API_KEY: {FRED[:8]}{'*' * 24}\n", FRED[:8], "fred"),
    (
        "fred key prefix for debugging",
        f"DEBUG fred key prefix={FRED[:8]}x1 ok\n".replace("x1 ", " "),
        FRED[:8],
        "fred",
    ),
    ("fred key first 8", f"FRED key (first 8): {FRED[:8]}\n", FRED[:8], "fred"),
    ("av key truncated", f"apikey={AV[:9]}... (truncated)\n", AV[:9], "alpha_vantage"),
    # credentials in URLs
    (
        "redis no user",
        f"REDIS_URL=redis://:{PASSWORD[:-1]}@cache.acme.io:6379/0\n",
        PASSWORD[:-1],
        "url_credentials",
    ),
    (
        "postgres",
        f"DATABASE_URL=postgres://app:{TOKEN[:16]}@db.acme.io:5432/app\n",
        TOKEN[:16],
        "url_credentials",
    ),
    (
        "mongodb+srv",
        f"mongodb+srv://admin:{TOKEN[:18]}@cluster0.ab1cd.mongodb.net/\n",
        TOKEN[:18],
        "url_credentials",
    ),
    ("amqp", f"amqp://worker:{TOKEN[:20]}@mq.acme.io:5672/%2f\n", TOKEN[:20], "url_credentials"),
    # passwords, tokens, headers, arguments
    ("password in .env", f"DB_PASSWORD={PASSWORD}\n", PASSWORD, "password"),
    (
        "password in yaml",
        f'database:\n  user: app\n  password: "{PASSWORD}"\n',
        PASSWORD,
        "password",
    ),
    ("password in json", f'{{"smtp": {{"password": "{PASSWORD}"}}}}\n', PASSWORD, "password"),
    ("secret in toml", f'[auth]\nclient_secret = "{TOKEN}"\n', TOKEN, "generic"),
    ("token in url query", f"GET /cb?access_token={TOKEN}&state=1 302\n", TOKEN, "generic"),
    ("x-api-token header", f"X-Api-Token: {TOKEN}\n", TOKEN, "token_header"),
    (
        "x-auth-token in curl",
        f"curl -H 'X-Auth-Token: {TOKEN}' https://api.acme.io/\n",
        TOKEN,
        "token_header",
    ),
    ("api-key header", f"Api-Key: {TOKEN}\n", TOKEN, "token_header"),
    ("authorization token", f"Authorization: Token {TOKEN}\n", TOKEN, "token_header"),
    ("--token in CI log", f"+ deploy --token {TOKEN} --env prod\n", TOKEN, "cli_argument"),
    ("django SECRET_KEY", f"SECRET_KEY = '{DJANGO}'\n", DJANGO, "django"),
    (
        "private key, JSON-escaped",
        '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n'
        + PEM_BODY
        + '\\n-----END PRIVATE KEY-----\\n"}\n',
        PEM_BODY,
        "private_key",
    ),
]


@pytest.mark.parametrize(
    ("text", "secret", "kind"), [p[1:] for p in POSITIVES], ids=[p[0] for p in POSITIVES]
)
def test_each_family_is_found_in_its_context(text: str, secret: str, kind: str) -> None:
    start = text.index(secret)
    end = start + len(secret)
    findings = SCANNER.scan(text)
    overlapping = [f for f in findings if f.start < end and start < f.end]
    assert [f.kind for f in overlapping] == [kind], [(f.rule, f.kind) for f in findings]
    assert len(findings) == 1, [(f.rule, f.masked) for f in findings]


@pytest.mark.parametrize("text", [p[1] for p in POSITIVES], ids=[p[0] for p in POSITIVES])
def test_findings_are_masked(text: str) -> None:
    for finding in SCANNER.scan(text):
        value = text[finding.start : finding.end]
        shown = finding.describe()
        assert value not in shown
        # at most a public prefix (sk-, SG., glpat-...) and never 8 characters of the rest
        for i in range(10, len(value) - 8):
            assert value[i : i + 8] not in shown


NEGATIVES: dict[str, str] = {
    "aws docs example": "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n",
    "openai placeholder": "OPENAI_API_KEY=sk-your-key-here\nOPENAI_API_KEY=sk-" + "x" * 48 + "\n",
    "openai repeated": "sk-" + "a" * 48 + "\n",
    "sendgrid placeholder": "SENDGRID_API_KEY=SG." + "x" * 22 + "." + "x" * 43 + "\n",
    "npm placeholder": "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
    "template password": "password: ${DB_PASSWORD}\npassword: '{{ vault_db_password }}'\n",
    "password from env": 'password = os.environ["DB_PASSWORD"]\nPASSWORD = getenv("PW")\n',
    "password from form": 'password = request.form["password"]\n',
    "comparison": 'if password == "hunter22":\n    pass\n',
    "placeholder word": "PASSWORD=changeme\nDB_PASSWORD=password\n",
    "angle placeholder": "password: <your-password>\nX-Api-Key: <KEY>\n",
    "masked value": 'password: "********"\nFRED_API_KEY: ****************\n',
    "masked beyond recognition": "FRED_API_KEY=fce6" + "*" * 28 + "\nfred key=e5c8… (truncated)\n",
    "token type and sizes": "token_type: bearer\nmax_tokens = 4096\ntoken_ttl: 3600\n",
    "token endpoint": "token_endpoint: https://login.acme.io/oauth/token\n",
    "password hash": f'password_hash = "{hashlib.sha256(b"x").hexdigest()}"\n',
    "csrf token": f'csrf_token = "{hashlib.sha256(b"y").hexdigest()}"\n',
    "sri integrity": f'<script integrity="sha384-{base64.b64encode(RNG.randbytes(48)).decode()}">\n',
    "lockfile integrity": f'"integrity": "sha512-{base64.b64encode(RNG.randbytes(64)).decode()}",\n',
    "yarn checksum": f'  resolved "https://registry.yarnpkg.com/x/-/x-1.0.0.tgz#{pick(HEX, 40)}"\n',
    "docker digest": f"image: nginx@sha256:{pick(HEX, 64)}\n",
    "git sha": f"commit {pick(HEX, 40)}\nMerge: {pick(HEX, 7)} {pick(HEX, 7)}\n",
    "uuid ids": f"request_id = {uuid.UUID(int=RNG.getrandbits(128))}\ntrace: {uuid.uuid4()}\n",
    "locale en-us": '<html lang="en-us">\nAccept-Language: en-us,en;q=0.5\n',
    "secret reference": "secret_name: prod/db/password\napi_key: vault:secret/data/app#key\n",
    "yaml vault": "password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n",
    "prose": "The password is stored in Vault; the token: rotate it weekly.\n",
    "docker login from stdin": "docker login --password-stdin\ndocker login -u ci --password $PW\n",
    "token file": "--token-file /run/secrets/token\n--key-file=/etc/ssl/key.pem\n",
    "code calls": 'token = getToken(user1)\nconst token = localStorage.getItem("t1")\n',
    "request id header": f"X-Request-Id: {pick(HEX, 32)}\n",
    "placeholder header": "X-Api-Key: ${API_KEY}\nAuthorization: Token <token>\n",
    "secret from env in django": 'SECRET_KEY = os.environ["SECRET_KEY"]\nSECRET_KEY = get_random_secret_key()\n',
    "key path": 'private_key_path = "./keys/id_rsa"\npassword_min_length=12\n',
    "example host url": "https://user:hunter22x@example.com/\n",
    "twilio-like hex without twilio": f"AC{pick(HEX, 32)}\n",
    "sas without sv": f"?sig={mixed(ALNUM, 40)}\n",
    "har pairs that are no secrets": (
        '{"name": "Content-Type", "value": "application/json"}\n'
        f'{{"name": "X-Request-Id", "value": "{pick(HEX, 32)}"}}\n'
    ),
    "dockerfile env without secrets": "ENV PATH /usr/local/bin:$PATH\nARG GITHUB_TOKEN\n",
    "docker auth that is no credential": '"auth": "bearer"\n',
    "postgresql.conf setting": "#password_encryption = scram-sha-256\t# or md5\n",
    "docs example value": '{"api_key": "secret_key_123"}\nuser = User(password="password1")\n',
    "python block colon": (
        "if domain in self.credentials_providers:\n    z85_client_key = z85.encode(key)\n"
    ),
    "abnf grammar": " * token         = 1*tchar\n",
    "key prefix that is a format": 'fred_api_key_prefix = "sk_"\nkey prefix: 12345678\n',
    "providers' documented examples": (
        'stripe = require("stripe")("sk_test_4eC39HqLyjWDarjtT1zdp7dc")\n'
        "GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a\n"
    ),
    "anthropic placeholder": "ANTHROPIC_API_KEY=sk-ant-api03-" + "x" * 95 + "\n",
    "npmrc auth from env": "_auth=${NPM_AUTH}\n_authToken=${NPM_TOKEN}\n",
    "basic auth documentation": (
        f"Authorization: Basic {base64.b64encode(b'Aladdin:open sesame').decode()}\n"
        f"Authorization: Basic {base64.b64encode(b'username:password').decode()}\n"
    ),
    "base64 placeholders in a k8s secret": (
        f"data:\n  OPENAI_API_KEY: {base64.b64encode(b'sk-your-openai-key-here').decode()}\n"
        f"  ALPHA_VANTAGE_API_KEY: {base64.b64encode(b'YOURAPIKEYHERE12').decode()}\n"
    ),
    "fake key in a test": 'FAKE_AV_KEY = "TESTKEY123456789"  # fake\n',
    "password comparisons and templates": (
        "if len(password) > 8:\n    ok()\n<password>${DB_PASSWORD}</password>\n"
    ),
    "terraform variables without secrets": (
        'variable "db_password" {\n  default = ""\n}\nvariable "region" { default = "eu-1" }\n'
    ),
    "hand-typed fakes": 'SECRET = "a1b2c3d4e5f60718293a4b5c6d7e8f90"\nTOKEN = "st-9f8e7d6c5b4a3928"\n',
    "unsigned jwt": "token=eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.\n",
    "url with api key placeholder": "?series_id=UNRATE&api_key=...&file_type=json\n",
}


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_hard_negatives_are_left_alone(name: str) -> None:
    findings = SCANNER.scan(NEGATIVES[name])
    assert findings == [], [(f.rule, f.masked) for f in findings]


def test_a_partial_key_counts_from_eight_characters() -> None:
    assert SCANNER.scan(f"fred key={FRED[:7]}… (truncated)\n") == []
    (finding,) = SCANNER.scan(f"fred key={FRED[:8]}… (truncated)\n")
    assert (finding.rule, finding.length) == ("fred-api-key", 8)
