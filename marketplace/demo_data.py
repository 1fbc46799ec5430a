"""Demo content for Markedsplassen, read by ``manage.py seed_demo``.

Pure data: no Django imports and no imports from the project, so the module can be read, tested and
checked on its own (``python3 marketplace/demo_data.py`` runs the self-check at the bottom).

User-facing text is Norwegian bokmål and builds on the FKJ source documents in ``shared/seeds``:
the story of Inger, the mock-ups of Butikken and Innovasjonsarena, the product-declaration sections
(Funksjon, Informasjon, Innføring) and the trials "NEWS2" and "Oversikt over kommunale tjenester".

All e-mail addresses use the reserved ``.example`` top-level domain. Organisation numbers of real
public bodies are the real ones as far as known; vendors and the interest organisation have made-up
numbers with a correct MOD11 check digit. The five vendors and their products are fictitious.

Keys (``key`` fields, category and service-area slugs) are stable identifiers that the seed command
uses to link objects; they are never shown to users.
"""

ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def mod11_ok(number: str) -> bool:
    """True if ``number`` is a Norwegian organisation number with a valid MOD11 check digit."""
    if len(number) != 9 or not number.isdigit():
        return False
    remainder = sum(int(digit) * weight for digit, weight in zip(number[:8], ORG_NUMBER_WEIGHTS)) % 11
    check = 11 - remainder
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(number[8])


# ---------------------------------------------------------------------------------------------------
# Categories and service areas (Butikken / Innovasjonsarena front pages)
# ---------------------------------------------------------------------------------------------------

CATEGORIES = [
    {
        "slug": "kommunale-helsetjenester",
        "name": "Kommunale helsetjenester",
        "name_en": "Municipal health services",
        "order": 1,
    },
    {"slug": "fastlege", "name": "Fastlege", "name_en": "General practitioner", "order": 2},
    {"slug": "fysioterapeut", "name": "Fysioterapeut", "name_en": "Physiotherapist", "order": 3},
    {"slug": "tannlege", "name": "Tannlege", "name_en": "Dentist", "order": 4},
]

SERVICE_AREAS = [
    # Kommunale helsetjenester: the list from the Innovasjonsarena mock-up, then a few more.
    {
        "slug": "sykehjem-og-omsorgsbolig",
        "name": "Sykehjem og omsorgsbolig",
        "name_en": "Nursing homes and sheltered housing",
        "category": "kommunale-helsetjenester",
        "order": 1,
        "description": (
            "Heldøgns omsorg i sykehjem og omsorgsboliger, med behov for god dokumentasjon, "
            "legemiddelhåndtering og tett oppfølging av beboernes helsetilstand."
        ),
    },
    {
        "slug": "tjenestetildeling",
        "name": "Tjenestetildeling",
        "name_en": "Allocation of services",
        "category": "kommunale-helsetjenester",
        "order": 2,
        "description": (
            "Tildelingskontorets arbeid med søknader, kartlegging og vedtak om helse- og "
            "omsorgstjenester til innbyggerne."
        ),
    },
    {
        "slug": "fengsel",
        "name": "Fengsel",
        "name_en": "Prison health services",
        "category": "kommunale-helsetjenester",
        "order": 3,
        "description": (
            "Helsetjenester i fengsel, som vertskommunen yter til innsatte under soning og i "
            "overgangen til livet etter løslatelse."
        ),
    },
    {
        "slug": "psykisk-helse-og-rus",
        "name": "Psykisk helse og rus",
        "name_en": "Mental health and substance abuse",
        "category": "kommunale-helsetjenester",
        "order": 4,
        "description": (
            "Kommunale tjenester til personer med psykiske helseutfordringer og rusmiddelproblemer, "
            "fra lavterskeltilbud til langvarig oppfølging."
        ),
    },
    {
        "slug": "legevakt",
        "name": "Legevakt",
        "name_en": "Out-of-hours emergency service",
        "category": "kommunale-helsetjenester",
        "order": 5,
        "description": (
            "Øyeblikkelig hjelp utenom fastlegens åpningstid, der rask tilgang til kritisk "
            "informasjon om pasienten kan være avgjørende."
        ),
    },
    {
        "slug": "eldreomsorg",
        "name": "Eldreomsorg",
        "name_en": "Care for the elderly",
        "category": "kommunale-helsetjenester",
        "order": 6,
        "description": (
            "Helhetlige tjenester til eldre innbyggere, med vekt på trygghet, mestring og å kunne "
            "bo hjemme så lenge som mulig."
        ),
    },
    {
        "slug": "hjemmetjenester",
        "name": "Hjemmetjenester",
        "name_en": "Home care services",
        "category": "kommunale-helsetjenester",
        "order": 7,
        "description": (
            "Hjemmesykepleie og praktisk bistand i innbyggerens eget hjem, der helsepersonell "
            "trenger oppdatert informasjon når de er ute hos pasienten."
        ),
    },
    {
        "slug": "nedsatt-funksjonsevne",
        "name": "Nedsatt funksjonsevne",
        "name_en": "Disabilities",
        "category": "kommunale-helsetjenester",
        "order": 8,
        "description": (
            "Tjenester, hjelpemidler og tilrettelegging for personer med varig nedsatt funksjonsevne "
            "og deres pårørende."
        ),
    },
    {
        "slug": "seniorsentre",
        "name": "Seniorsentre",
        "name_en": "Senior centres",
        "category": "kommunale-helsetjenester",
        "order": 9,
        "description": (
            "Møteplasser med aktiviteter, kafé og forebyggende tilbud for hjemmeboende seniorer."
        ),
    },
    {
        "slug": "helsestasjon-og-skolehelsetjeneste",
        "name": "Helsestasjon og skolehelsetjeneste",
        "name_en": "Child health clinics and school health service",
        "category": "kommunale-helsetjenester",
        "order": 10,
        "description": (
            "Helsefremmende og forebyggende arbeid for gravide, barn og unge fra fødsel til fylte "
            "20 år."
        ),
    },
    {
        "slug": "rehabilitering",
        "name": "Rehabilitering",
        "name_en": "Rehabilitation",
        "category": "kommunale-helsetjenester",
        "order": 11,
        "description": (
            "Hverdagsrehabilitering og tidsavgrensede rehabiliteringsopphold som skal gjøre "
            "innbyggeren i stand til å mestre hverdagen på egen hånd."
        ),
    },
    # Fastlege
    {
        "slug": "fastlege",
        "name": "Fastlege",
        "name_en": "General practitioner",
        "category": "fastlege",
        "order": 1,
        "description": (
            "Fastlegens arbeid med egen pasientliste og samhandlingen med de kommunale helse- og "
            "omsorgstjenestene."
        ),
    },
    {
        "slug": "sykehjemslege",
        "name": "Sykehjemslege og tilsynslege",
        "name_en": "Nursing-home physician",
        "category": "fastlege",
        "order": 2,
        "description": (
            "Legetjenester i sykehjem og omsorgsboliger, der legen er avhengig av observasjoner og "
            "målinger fra pleiepersonalet."
        ),
    },
    # Fysioterapeut
    {
        "slug": "fysioterapi-i-kommunen",
        "name": "Fysioterapi i kommunen",
        "name_en": "Municipal physiotherapy",
        "category": "fysioterapeut",
        "order": 1,
        "description": (
            "Kommunalt ansatte fysioterapeuter i hjemmetjeneste, institusjon, helsestasjon og "
            "frisklivssentral."
        ),
    },
    {
        "slug": "fysioterapi-driftsavtale",
        "name": "Fysioterapeut med driftsavtale",
        "name_en": "Private physiotherapist with municipal agreement",
        "category": "fysioterapeut",
        "order": 2,
        "description": (
            "Privatpraktiserende fysioterapeuter med driftsavtale med kommunen, som deler ventelister "
            "og henvisninger med de kommunale tjenestene."
        ),
    },
    # Tannlege
    {
        "slug": "tannhelsetjeneste",
        "name": "Den offentlige tannhelsetjenesten",
        "name_en": "Public dental service",
        "category": "tannlege",
        "order": 1,
        "description": (
            "Fylkeskommunens tannhelsetilbud til barn, unge og prioriterte grupper, som "
            "samarbeider tett med kommunens helse- og omsorgstjenester."
        ),
    },
    {
        "slug": "tannhelse-for-pleietrengende",
        "name": "Tannhelse for pleietrengende",
        "name_en": "Dental care for care recipients",
        "category": "tannlege",
        "order": 2,
        "description": (
            "Munnstell og tannbehandling for beboere i institusjon og mottakere av hjemmesykepleie, "
            "som har rett til gratis offentlig tannhelsehjelp."
        ),
    },
]


# ---------------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------------

ORGANISATIONS = [
    {
        "key": "ks",
        "name": "KS – Kommunesektorens organisasjon",
        "kind": "operator",
        "org_number": "971032146",
        "municipality_number": "",
        "inhabitants": None,
        "website": "https://www.ks.no",
        "description": (
            "Kommunesektorens interesse- og arbeidsgiverorganisasjon. KS forvalter Markedsplassen: "
            "publiserer vilkår, kvalifiserer leverandører, godkjenner produkter for Butikken og "
            "samordner utprøvingene i felles journalløft."
        ),
    },
    # Municipalities: the eight FKJ samarbeidskommuner, Oslo and Drammen.
    {
        "key": "bodo",
        "name": "Bodø kommune",
        "kind": "municipality",
        "org_number": "972418013",
        "municipality_number": "1804",
        "inhabitants": 53700,
        "website": "https://bodo.kommune.no",
        "description": (
            "Samarbeidskommune i Felles kommunal journal og med i styringsgruppen for utprøvingene. "
            "Bodø deltar i arbeidet med kognitiv kartlegging og selvregistrering."
        ),
    },
    {
        "key": "baerum",
        "name": "Bærum kommune",
        "kind": "municipality",
        "org_number": "935478715",
        "municipality_number": "3201",
        "inhabitants": 130800,
        "website": "https://www.baerum.kommune.no",
        "description": (
            "Samarbeidskommune i Felles kommunal journal. Bærum leder behovsarbeidet for "
            "«Oversikt over kommunale tjenester» sammen med Oslo og Bergen."
        ),
    },
    {
        "key": "bergen",
        "name": "Bergen kommune",
        "kind": "municipality",
        "org_number": "964338531",
        "municipality_number": "4601",
        "inhabitants": 291200,
        "website": "https://www.bergen.kommune.no",
        "description": (
            "Landets nest største kommune og samarbeidskommune i Felles kommunal journal, med "
            "bred erfaring fra psykisk helse og rus og fra utprøvingen av NEWS2."
        ),
    },
    {
        "key": "kristiansand",
        "name": "Kristiansand kommune",
        "kind": "municipality",
        "org_number": "963296746",
        "municipality_number": "4204",
        "inhabitants": 117000,
        "website": "https://www.kristiansand.kommune.no",
        "description": (
            "Samarbeidskommune i Felles kommunal journal som arbeider med sikrere "
            "legemiddelhåndtering i hjemmetjenesten og bedre oversikt over hjelpemidler."
        ),
    },
    {
        "key": "oslo",
        "name": "Oslo kommune",
        "kind": "municipality",
        "org_number": "958935420",
        "municipality_number": "0301",
        "inhabitants": 717700,
        "website": "https://www.oslo.kommune.no",
        "description": (
            "Landets største kommune, med 15 bydeler som yter helse- og omsorgstjenester. Oslo "
            "deltar i styringsgruppen for utprøvingene og har ansvar for helsetjenesten i Oslo fengsel."
        ),
    },
    {
        "key": "stavanger",
        "name": "Stavanger kommune",
        "kind": "municipality",
        "org_number": "964965226",
        "municipality_number": "1103",
        "inhabitants": 149000,
        "website": "https://www.stavanger.kommune.no",
        "description": (
            "Samarbeidskommune i Felles kommunal journal og eier av behovet for tidlig oppdagelse "
            "av forverret tilstand med NEWS2 i sykehjem og hjemmetjenester."
        ),
    },
    {
        "key": "ringsaker",
        "name": "Ringsaker kommune",
        "kind": "municipality",
        "org_number": "970169717",
        "municipality_number": "3411",
        "inhabitants": 35300,
        "website": "https://www.ringsaker.kommune.no",
        "description": (
            "Samarbeidskommune i Felles kommunal journal i Innlandet. Hjemmetjenesten i Ringsaker "
            "ønsker en felles og strukturert måte å kartlegge innbyggere på."
        ),
    },
    {
        "key": "vinje",
        "name": "Vinje kommune",
        "kind": "municipality",
        "org_number": "864964702",
        "municipality_number": "4036",
        "inhabitants": 3800,
        "website": "https://www.vinje.kommune.no",
        "description": (
            "Liten fjellkommune i Telemark og samarbeidskommune i Felles kommunal journal. Vinje "
            "bidrar med perspektivet til små kommuner med lange avstander og få fagpersoner."
        ),
    },
    {
        "key": "hammerfest",
        "name": "Hammerfest kommune",
        "kind": "municipality",
        "org_number": "964830533",
        "municipality_number": "5603",
        "inhabitants": 11400,
        "website": "https://www.hammerfest.kommune.no",
        "description": (
            "Samarbeidskommune i Felles kommunal journal i Finnmark, med interkommunal legevakt og "
            "behov for rask tilgang til kritisk informasjon om pasienten."
        ),
    },
    {
        "key": "drammen",
        "name": "Drammen kommune",
        "kind": "municipality",
        "org_number": "921234554",
        "municipality_number": "3301",
        "inhabitants": 103300,
        "website": "https://www.drammen.kommune.no",
        "description": (
            "Kommune i Buskerud som deltar i arbeidet med kognitiv kartlegging og eier behovet for "
            "videomøte med innbygger og pårørende."
        ),
    },
    # County
    {
        "key": "innlandet",
        "name": "Innlandet fylkeskommune",
        "kind": "county",
        "org_number": "920717152",
        "municipality_number": "",
        "inhabitants": 375000,
        "website": "https://innlandetfylke.no",
        "description": (
            "Fylkeskommunen koordinerer et regionalt samarbeid med kommunene i Innlandet om felles "
            "behovsbeskrivelser for tjenestetildeling, og har ansvar for den offentlige "
            "tannhelsetjenesten i fylket."
        ),
    },
    # National actors
    {
        "key": "nhn",
        "name": "Norsk helsenett SF",
        "kind": "national",
        "org_number": "994598759",
        "municipality_number": "",
        "inhabitants": None,
        "website": "https://www.nhn.no",
        "description": (
            "Statsforetaket som drifter helsenettet og de nasjonale samhandlingsløsningene "
            "(Kjernejournal, e-resept, Pasientens prøvesvar, VKP og HelseID), og som leverer "
            "felles programvareinfrastruktur til utprøvingene."
        ),
    },
    {
        "key": "helsedir",
        "name": "Helsedirektoratet",
        "kind": "national",
        "org_number": "983544622",
        "municipality_number": "",
        "inhabitants": None,
        "website": "https://www.helsedirektoratet.no",
        "description": (
            "Fagdirektorat under Helse- og omsorgsdepartementet. Direktoratet for e-helse ble slått "
            "sammen med Helsedirektoratet i 2024, som nå har ansvaret for e-helsestandarder, Normen "
            "og helseteknologiordningen."
        ),
    },
    # Interest organisation
    {
        "key": "nsf",
        "name": "Norsk Sykepleierforbund",
        "kind": "interest",
        # Fictitious number with a valid check digit.
        "org_number": "927318458",
        "municipality_number": "",
        "inhabitants": None,
        "website": "https://www.nsf.no",
        "description": (
            "Fag- og interesseorganisasjon for sykepleiere. Forbundet gir innspill på behov som "
            "berører sykepleiernes arbeidshverdag og deler erfaringer fra medlemmene."
        ),
    },
    # Vendors (fictitious companies, fictitious organisation numbers with valid check digits)
    {
        "key": "omsorgsdata",
        "name": "Omsorgsdata AS",
        "kind": "vendor",
        "org_number": "918755020",
        "municipality_number": "",
        "inhabitants": None,
        "website": "https://omsorgsdata.example",
        "description": (
            "Leverandør av mobile arbeidsverktøy for sykehjem, hjemmetjenester og legevakt, med "
            "vekt på legemiddelhåndtering og kritisk informasjon. Rundt 60 ansatte i Trondheim og Tromsø."
        ),
    },
    {
        "key": "kartleggeren",
        "name": "Kartleggeren AS",
        "kind": "vendor",
        "org_number": "930124672",
        "municipality_number": "",
        "inhabitants": None,
        "website": "https://kartleggeren.example",
        "description": (
            "Spesialist på strukturert kartlegging og egenrapportering. Skjemaene bygger på "
            "validerte kartleggingsverktøy og lagres som FHIR Questionnaire og QuestionnaireResponse."
        ),
    },
    {
        "key": "helsevev",
        "name": "Helsevev AS",
        "kind": "vendor",
        "org_number": "924883154",
        "municipality_number": "",
        "inhabitants": None,
        "website": "https://helsevev.example",
        "description": (
            "Utvikler innbyggertjenester og sikre videomøter for helse- og omsorgssektoren, "
            "integrert med Helsenorge og HelseID."
        ),
    },
    {
        "key": "tildel",
        "name": "Tildel AS",
        "kind": "vendor",
        "org_number": "991827366",
        "municipality_number": "",
        "inhabitants": None,
        "website": "https://tildel.example",
        "description": (
            "Lager saksbehandlingsverktøy for tildelingskontor: søknadsmottak, kartlegging, "
            "regelstøttet tildeling og oversikt over hvilke tjenester en innbygger mottar."
        ),
    },
    {
        "key": "varselpluss",
        "name": "VarselPluss AS",
        "kind": "vendor",
        "org_number": "922354618",
        "municipality_number": "",
        "inhabitants": None,
        "website": "https://varselpluss.example",
        "description": (
            "Velferdsteknologiselskap som kobler måleutstyr og observasjoner til beslutningsstøtte, "
            "blant annet NEWS2-skår og digital egenrapportering."
        ),
    },
]


# ---------------------------------------------------------------------------------------------------
# People. Roles within an organisation: "admin" (organisation admin) or "member".
# ---------------------------------------------------------------------------------------------------

PEOPLE = [
    # Operator (KS / FKJ forvaltning)
    {
        "email": "admin@ks.example",
        "first_name": "Marte",
        "last_name": "Solberg",
        "memberships": [("ks", "admin")],
        "platform_admin": True,
    },
    {
        "email": "henrik.aasen@ks.example",
        "first_name": "Henrik",
        "last_name": "Aasen",
        "memberships": [("ks", "member")],
        "platform_admin": True,
    },
    # Inger: fagutviklingssykepleier i hjemmetjenesten i Ringsaker (the story in the source).
    {
        "email": "inger.hansen@ringsaker.example",
        "first_name": "Inger",
        "last_name": "Hansen",
        "memberships": [("ringsaker", "member")],
        "platform_admin": False,
    },
    # Municipalities: one organisation admin each, plus ordinary members.
    {
        "email": "bjorn.holm@ringsaker.example",
        "first_name": "Bjørn",
        "last_name": "Holm",
        "memberships": [("ringsaker", "admin")],
        "platform_admin": False,
    },
    {
        "email": "siri.johansen@bodo.example",
        "first_name": "Siri",
        "last_name": "Johansen",
        "memberships": [("bodo", "admin")],
        "platform_admin": False,
    },
    {
        "email": "petter.lund@bodo.example",
        "first_name": "Petter",
        "last_name": "Lund",
        "memberships": [("bodo", "member")],
        "platform_admin": False,
    },
    {
        "email": "anders.kristoffersen@baerum.example",
        "first_name": "Anders",
        "last_name": "Kristoffersen",
        "memberships": [("baerum", "admin")],
        "platform_admin": False,
    },
    {
        "email": "ingrid.haugland@bergen.example",
        "first_name": "Ingrid",
        "last_name": "Haugland",
        "memberships": [("bergen", "admin")],
        "platform_admin": False,
    },
    {
        "email": "tone.salvesen@kristiansand.example",
        "first_name": "Tone",
        "last_name": "Salvesen",
        "memberships": [("kristiansand", "admin")],
        "platform_admin": False,
    },
    {
        "email": "amir.haddad@oslo.example",
        "first_name": "Amir",
        "last_name": "Haddad",
        "memberships": [("oslo", "admin")],
        "platform_admin": False,
    },
    {
        "email": "kjersti.eide@stavanger.example",
        "first_name": "Kjersti",
        "last_name": "Eide",
        "memberships": [("stavanger", "admin")],
        "platform_admin": False,
    },
    {
        "email": "gunhild.kvale@vinje.example",
        "first_name": "Gunhild",
        "last_name": "Kvåle",
        "memberships": [("vinje", "admin")],
        "platform_admin": False,
    },
    {
        "email": "ellen.isaksen@hammerfest.example",
        "first_name": "Ellen",
        "last_name": "Isaksen",
        "memberships": [("hammerfest", "admin")],
        "platform_admin": False,
    },
    {
        "email": "jonas.bakke@drammen.example",
        "first_name": "Jonas",
        "last_name": "Bakke",
        "memberships": [("drammen", "admin")],
        "platform_admin": False,
    },
    {
        "email": "fatima.rahimi@drammen.example",
        "first_name": "Fatima",
        "last_name": "Rahimi",
        "memberships": [("drammen", "member")],
        "platform_admin": False,
    },
    # County, national actors and interest organisation
    {
        "email": "guro.bakken@innlandet.example",
        "first_name": "Guro",
        "last_name": "Bakken",
        "memberships": [("innlandet", "admin")],
        "platform_admin": False,
    },
    {
        "email": "lars.myhre@nhn.example",
        "first_name": "Lars",
        "last_name": "Myhre",
        "memberships": [("nhn", "admin")],
        "platform_admin": False,
    },
    {
        "email": "hanne.strand@helsedir.example",
        "first_name": "Hanne",
        "last_name": "Strand",
        "memberships": [("helsedir", "admin")],
        "platform_admin": False,
    },
    {
        "email": "eva.lie@nsf.example",
        "first_name": "Eva",
        "last_name": "Lie",
        "memberships": [("nsf", "admin")],
        "platform_admin": False,
    },
    # A consultant engaged by Innlandet fylkeskommune and Bodø kommune: member of both.
    {
        "email": "oystein.dahl@dahlradgivning.example",
        "first_name": "Øystein",
        "last_name": "Dahl",
        "memberships": [("innlandet", "member"), ("bodo", "member")],
        "platform_admin": False,
    },
    # Vendors: one admin and one member each.
    {
        "email": "camilla.sorensen@omsorgsdata.example",
        "first_name": "Camilla",
        "last_name": "Sørensen",
        "memberships": [("omsorgsdata", "admin")],
        "platform_admin": False,
    },
    {
        "email": "thomas.nilsen@omsorgsdata.example",
        "first_name": "Thomas",
        "last_name": "Nilsen",
        "memberships": [("omsorgsdata", "member")],
        "platform_admin": False,
    },
    {
        "email": "ida.moen@kartleggeren.example",
        "first_name": "Ida",
        "last_name": "Moen",
        "memberships": [("kartleggeren", "admin")],
        "platform_admin": False,
    },
    {
        "email": "magnus.berntsen@kartleggeren.example",
        "first_name": "Magnus",
        "last_name": "Berntsen",
        "memberships": [("kartleggeren", "member")],
        "platform_admin": False,
    },
    {
        "email": "sofie.lunde@helsevev.example",
        "first_name": "Sofie",
        "last_name": "Lunde",
        "memberships": [("helsevev", "admin")],
        "platform_admin": False,
    },
    {
        "email": "emil.hagen@helsevev.example",
        "first_name": "Emil",
        "last_name": "Hagen",
        "memberships": [("helsevev", "member")],
        "platform_admin": False,
    },
    {
        "email": "rune.strom@tildel.example",
        "first_name": "Rune",
        "last_name": "Strøm",
        "memberships": [("tildel", "admin")],
        "platform_admin": False,
    },
    {
        "email": "nora.pedersen@tildel.example",
        "first_name": "Nora",
        "last_name": "Pedersen",
        "memberships": [("tildel", "member")],
        "platform_admin": False,
    },
    {
        "email": "kristian.vold@varselpluss.example",
        "first_name": "Kristian",
        "last_name": "Vold",
        "memberships": [("varselpluss", "admin")],
        "platform_admin": False,
    },
    {
        "email": "maja.engen@varselpluss.example",
        "first_name": "Maja",
        "last_name": "Engen",
        "memberships": [("varselpluss", "member")],
        "platform_admin": False,
    },
]


# ---------------------------------------------------------------------------------------------------
# Terms (Vilkår). Bodies and change notes are Markdown.
# ---------------------------------------------------------------------------------------------------

_TERMS_ALL_V1 = """\
# Vilkår for deltakelse i økosystemet

Disse vilkårene gjelder for alle virksomheter som deltar i Markedsplassen for felles kommunalt
journalløft: kommuner, fylkeskommuner, leverandører, nasjonale aktører og interesseorganisasjoner.

## 1. Formål

1. Markedsplassen er en felles møteplass der deltakerne sammen beskriver behov, anskaffer, tar i bruk
   og evaluerer sluttbrukerløsninger for de kommunale helse- og omsorgstjenestene.
2. Vilkårene skal gi forutsigbarhet og trygghet for at alle deltakere følger de samme rammene.
3. Vilkårene gjelder i tillegg til lov og forskrift og til avtaler mellom deltakerne. Ved motstrid
   går lov og forskrift foran.

## 2. Roller

1. **Forvalter** (KS) drifter Markedsplassen, publiserer vilkår, kvalifiserer leverandører,
   godkjenner produkter for Butikken og modererer innhold.
2. **Deltakende virksomhet** er en virksomhet som har akseptert gjeldende vilkår.
3. **Virksomhetsadministrator** aksepterer vilkår på vegne av virksomheten, inviterer og fjerner
   medlemmer og ber om å ta løsninger i bruk.
4. **Medlem** er en person som er invitert av virksomheten og handler på dens vegne.

## 3. Plikter for alle deltakere

1. Opplysninger om virksomheten, som organisasjonsnummer, navn og kontaktpersoner, skal være korrekte
   og holdes oppdatert.
2. Virksomheten sørger for at bare personer med tjenstlig behov er medlemmer, og fjerner personer som
   har sluttet.
3. Innhold som publiseres skal være saklig, korrekt etter beste evne og ikke krenke andres
   rettigheter.
4. Brukerkontoer er personlige og skal ikke deles.

## 4. Informasjonssikkerhet

1. Deltakerne følger *Norm for informasjonssikkerhet og personvern i helse- og omsorgssektoren*
   (Normen) så langt den gjelder for dem.
2. Markedsplassen skal ikke brukes til å dele helseopplysninger om enkeltpersoner. Eksempler,
   brukerhistorier og testdata skal være anonymiserte eller syntetiske.
3. Sikkerhetshendelser og mistanke om misbruk av Markedsplassen meldes til forvalter uten ugrunnet
   opphold.

## 5. Personvern

1. KS er behandlingsansvarlig for personopplysninger om brukerne av Markedsplassen: navn,
   e-postadresse, roller og aktivitetslogg.
2. Opplysningene brukes bare til å drifte Markedsplassen, sende varsler og dokumentere beslutninger.
3. Brukerne har rett til innsyn, retting og sletting etter personvernforordningen.

## 6. Bruk av innhold

1. Behovsbeskrivelser som er publisert som felles behovsgrunnlag, kan fritt gjenbrukes av alle
   deltakere, også i egne anskaffelser.
2. Produktdeklarasjoner og dokumenter tilhører leverandøren, men kan vises, sammenlignes og
   eksporteres av deltakerne.
3. Forretningshemmeligheter skal merkes som det, og forvalter deler dem ikke uten samtykke.

## 7. Deling av erfaringer

1. Erfaringer skal bygge på virksomhetens egen bruk og beskrive både det som fungerte og det som
   ikke fungerte.
2. Leverandøren kan svare på en erfaring om eget produkt. Svaret merkes som leverandørens svar.
3. Forvalter kan skjule innlegg som bryter med vilkårene, og oppgir alltid begrunnelse.

## 8. Sanksjoner

1. Ved brudd på vilkårene gir forvalter skriftlig varsel med frist for retting.
2. Ved alvorlige eller gjentatte brudd kan forvalter begrense tilgangen eller suspendere
   virksomheten.

## 9. Endringer

1. Forvalter kan endre vilkårene. Nye versjoner publiseres med dato for ikrafttredelse.
2. Virksomheten må akseptere ny versjon for å fortsette å delta. Inntil det er gjort, har
   virksomheten bare lesetilgang.
"""

_TERMS_ALL_V2 = """\
# Vilkår for deltakelse i økosystemet

Disse vilkårene gjelder for alle virksomheter som deltar i Markedsplassen for felles kommunalt
journalløft: kommuner, fylkeskommuner, leverandører, nasjonale aktører og interesseorganisasjoner.

## 1. Formål

1. Markedsplassen er en felles møteplass der deltakerne sammen beskriver behov, anskaffer, tar i bruk
   og evaluerer sluttbrukerløsninger for de kommunale helse- og omsorgstjenestene.
2. Vilkårene skal gi forutsigbarhet og trygghet for at alle deltakere følger de samme rammene.
3. Vilkårene gjelder i tillegg til lov og forskrift og til avtaler mellom deltakerne. Ved motstrid
   går lov og forskrift foran.

## 2. Roller

1. **Forvalter** (KS) drifter Markedsplassen, publiserer vilkår, kvalifiserer leverandører,
   godkjenner produkter for Butikken og modererer innhold.
2. **Deltakende virksomhet** er en virksomhet som har akseptert gjeldende vilkår.
3. **Virksomhetsadministrator** aksepterer vilkår på vegne av virksomheten, inviterer og fjerner
   medlemmer og ber om å ta løsninger i bruk.
4. **Medlem** er en person som er invitert av virksomheten og handler på dens vegne. En person kan
   være medlem i flere virksomheter, for eksempel en innleid rådgiver, men skal alltid handle på
   vegne av den virksomheten som er valgt.

## 3. Plikter for alle deltakere

1. Opplysninger om virksomheten, som organisasjonsnummer, navn og kontaktpersoner, skal være korrekte
   og holdes oppdatert.
2. Virksomheten sørger for at bare personer med tjenstlig behov er medlemmer, og fjerner personer som
   har sluttet, senest fem virkedager etter fratredelse.
3. Innhold som publiseres skal være saklig, korrekt etter beste evne og ikke krenke andres
   rettigheter.
4. Brukerkontoer er personlige og skal ikke deles.

## 4. Informasjonssikkerhet

1. Deltakerne følger *Norm for informasjonssikkerhet og personvern i helse- og omsorgssektoren*
   (Normen) så langt den gjelder for dem.
2. Markedsplassen skal ikke brukes til å dele helseopplysninger om enkeltpersoner. Eksempler,
   brukerhistorier, vedlegg og testdata skal være anonymiserte eller syntetiske.
3. Sikkerhetshendelser og mistanke om misbruk av Markedsplassen meldes til forvalter snarest og
   senest innen 24 timer.
4. Plattformadministratorer skal bruke tofaktorautentisering.

## 5. Personvern

1. KS er behandlingsansvarlig for personopplysninger om brukerne av Markedsplassen: navn,
   e-postadresse, roller og aktivitetslogg.
2. Opplysningene brukes bare til å drifte Markedsplassen, sende varsler og dokumentere beslutninger
   i revisjonssporet.
3. Brukerne har rett til innsyn, retting og sletting etter personvernforordningen. Revisjonsspor
   slettes først når formålet med oppbevaringen er oppfylt.

## 6. Bruk av innhold

1. Behovsbeskrivelser som er publisert som felles behovsgrunnlag, gjøres tilgjengelige under lisensen
   Creative Commons Navngivelse 4.0 (CC BY 4.0) og kan fritt gjenbrukes, også i egne anskaffelser.
2. Produktdeklarasjoner og dokumenter tilhører leverandøren, men kan vises, sammenlignes og
   eksporteres av deltakerne.
3. Forretningshemmeligheter skal merkes som det, og forvalter deler dem ikke uten samtykke.

## 7. Deling av erfaringer

1. Erfaringer skal bygge på virksomhetens egen bruk og beskrive både det som fungerte og det som
   ikke fungerte.
2. Bare virksomheter som har tatt et produkt i bruk, kan gi det en vurdering fra 1 til 5.
3. Leverandøren kan svare én gang på en erfaring om eget produkt. Svaret merkes som leverandørens
   svar.
4. Alle innloggede brukere kan melde innlegg som upassende. Forvalter kan skjule innlegg som bryter
   med vilkårene, og oppgir alltid begrunnelse.

## 8. Sanksjoner

1. Ved brudd på vilkårene gir forvalter skriftlig varsel med frist for retting.
2. Ved manglende retting kan forvalter skjule innhold eller midlertidig begrense tilgangen.
3. Ved alvorlige eller gjentatte brudd kan forvalter suspendere virksomheten.
4. Vedtak om sanksjoner begrunnes skriftlig og kan påklages til forvalter innen tre uker.

## 9. Endringer

1. Forvalter kan endre vilkårene. Nye versjoner publiseres med dato for ikrafttredelse og en oversikt
   over hva som er endret.
2. Berørte virksomheter varsles når en ny versjon trer i kraft.
3. Virksomheten må akseptere ny versjon for å fortsette å delta. Inntil det er gjort, har
   virksomheten bare lesetilgang.
"""

_TERMS_ALL_V2_CHANGES = """\
Versjon 2.0 bygger på erfaringene fra det første året med Markedsplassen. De viktigste endringene:

1. **Roller (punkt 2.4):** Det er presisert at en person kan være medlem i flere virksomheter, for
   eksempel en innleid rådgiver, og at man alltid handler på vegne av den valgte virksomheten.
2. **Medlemmer (punkt 3.2):** Personer som har sluttet, skal fjernes senest fem virkedager etter
   fratredelse.
3. **Informasjonssikkerhet (punkt 4):** Sikkerhetshendelser skal meldes senest innen 24 timer, og
   plattformadministratorer skal bruke tofaktorautentisering. Vedlegg er tatt med i kravet om
   anonymiserte eller syntetiske data.
4. **Bruk av innhold (punkt 6.1):** Felles behovsgrunnlag publiseres under lisensen CC BY 4.0.
5. **Erfaringer (punkt 7):** Bare virksomheter som har tatt et produkt i bruk, kan gi vurdering.
   Leverandøren kan svare én gang, og alle kan melde upassende innlegg.
6. **Sanksjoner (punkt 8):** Sanksjonene er gradert, og det er innført klageadgang innen tre uker.
7. **Endringer (punkt 9):** Nye versjoner publiseres med en oversikt over hva som er endret, og
   berørte virksomheter varsles.
"""

_TERMS_VENDORS_V1 = """\
# Leverandørvilkår

Leverandørvilkårene gjelder i tillegg til *Vilkår for deltakelse i økosystemet* for alle
virksomheter som tilbyr sluttbrukerløsninger gjennom Markedsplassen.

## 1. Kvalifisering

1. Leverandøren må være kvalifisert av forvalter før den kan melde inn produkter til verifisering
   eller gi tilbud i felleskjøp.
2. Kvalifiseringen bygger på gjeldende kriterier, blant annet:
   1. mal for databehandleravtale som oppfyller personvernforordningen artikkel 28;
   2. etterlevelse av Normen;
   3. sertifisering etter ISO/IEC 27001 eller tilsvarende dokumentert styringssystem;
   4. registrert klient i HelseID;
   5. skatteattest som ikke er eldre enn seks måneder;
   6. tilgjengelighetserklæring for løsningene (universell utforming).
3. Kvalifiseringen gjelder i tolv måneder. Leverandøren varsles 30 dager før den utløper.
4. Leverandøren skal uten opphold melde fra om endringer som påvirker kvalifiseringen, for eksempel
   nytt eierskap, ny underleverandør for drift eller bortfall av sertifisering.

## 2. Produktdeklarasjon

1. Produktdeklarasjonen skal være sannferdig, fullstendig og oppdatert. Den beskriver produktets
   funksjon, informasjon (FHIR-ressurser, terminologi, nasjonale løsninger og hvor data lagres) og
   innføring (forutsetninger, opplæring, igangkjøringsstøtte og standard risikolandskap).
2. En innsendt versjon kan ikke endres. Vesentlige endringer i produktet krever ny versjon, som må
   verifiseres og godkjennes før den vises i Butikken.
3. Uriktige eller villedende opplysninger regnes som vesentlig brudd på vilkårene.

## 3. Verifisering og sandkasse

1. Leverandøren stiller et sandkassemiljø til rådighet med FHIR R4-endepunkt, OpenID
   Connect-utsteder og applikasjonsadresse, slik det er oppgitt i produktdeklarasjonen.
2. Sandkassen skal bare inneholde syntetiske testdata.
3. Listede produkter verifiseres på nytt jevnlig. Leverandøren skal rette feil som avdekkes, og
   holde kommunene orientert til feilen er rettet.

## 4. Sikkerhetshendelser

1. Sikkerhetshendelser og alvorlige sårbarheter som kan berøre kommunenes data, meldes til forvalter
   og berørte kommuner snarest og senest innen 24 timer.
2. Leverandøren bistår kommunene som behandlingsansvarlige med avviksbehandling og eventuell melding
   til Datatilsynet.

## 5. Prising

1. Prismodellen skal være offentlig i Butikken og omfatte alle obligatoriske kostnader, også
   oppstart, opplæring og integrasjoner.
2. Priser som er avtalt i felleskjøp, gjelder for alle deltakende kommuner på like vilkår.
3. Prisendringer varsles minst tre måneder før de trer i kraft.

## 6. Erfaringer og markedsføring

1. Leverandøren skal ikke skrive, bestille eller belønne erfaringer eller vurderinger av egne
   produkter.
2. Merket «verifisert» og «felleskjøpt» kan bare brukes om produktversjoner som har fått slik status.

## 7. Opphør

1. Forvalter kan trekke tilbake kvalifiseringen eller fjerne produkter fra Butikken ved vesentlig
   brudd på vilkårene.
2. Ved opphør skal leverandøren sørge for at kommunene får utlevert sine data i et strukturert,
   standardisert format.
"""

TERMS = [
    {
        "audience": "all",
        "version": "1.0",
        "title": "Vilkår for deltakelse i økosystemet",
        "effective_from_days_ago": 400,
        "body": _TERMS_ALL_V1,
        "changes": "Første versjon av vilkårene for deltakelse i Markedsplassen.",
    },
    {
        "audience": "all",
        "version": "2.0",
        "title": "Vilkår for deltakelse i økosystemet",
        "effective_from_days_ago": 20,
        "body": _TERMS_ALL_V2,
        "changes": _TERMS_ALL_V2_CHANGES,
    },
    {
        "audience": "vendors",
        "version": "1.0",
        "title": "Leverandørvilkår",
        "effective_from_days_ago": 200,
        "body": _TERMS_VENDORS_V1,
        "changes": "Første versjon av leverandørvilkårene.",
    },
]


# ---------------------------------------------------------------------------------------------------
# Needs (Innovasjonsarena). Stages: idea, prioritisation, evaluation_criteria, published, archived.
# Evaluation criteria are (name, weight) with weights summing to 100, or [] before that stage.
# ---------------------------------------------------------------------------------------------------

NEEDS = [
    {
        "key": "kognitiv-kartlegging",
        "title": "Kognitiv kartlegging",
        "service_areas": ["tjenestetildeling", "hjemmetjenester", "eldreomsorg"],
        "owner": "innlandet",
        "collaborators": ["bodo", "drammen"],
        "stage": "published",
        "summary": (
            "En felles, standardisert og strukturert kartlegging av kognitiv funksjon som "
            "helsepersonell kan ta med seg ut når de oppsøker innbyggeren. Resultatet skal danne "
            "grunnlag for vedtak om tjenester og registreres bare én gang."
        ),
        "problem_today": (
            "Tildelingskontor og hjemmetjenester kartlegger kognitiv funksjon på ulike måter, ofte "
            "på papir som skrives av i journalen etterpå. Samme innbygger kan bli vurdert ulikt "
            "avhengig av hvem som kartlegger, og tidligere kartlegginger er vanskelige å finne."
        ),
        "desired_situation": (
            "Helsepersonell har med seg en applikasjon på nettbrett eller mobil med relevant "
            "informasjon om innbyggeren tilgjengelig. Kartleggingen følger omforente kriterier, "
            "resultatet lagres strukturert i journalen og kan sammenlignes over tid og på tvers "
            "av tjenester."
        ),
        "systems_involved": (
            "Kommunens pasientjournalsystem (EPJ), saksbehandlingsløsningen på tildelingskontoret, "
            "HelseID for pålogging og felles programvareinfrastruktur hos Norsk helsenett."
        ),
        "professions_involved": (
            "Saksbehandlere ved tildelingskontoret, sykepleiere, helsefagarbeidere, ergoterapeuter "
            "og fastleger som mottar resultatene."
        ),
        "goals": [
            "Lik behandling av innbygger",
            "Omforente arbeidsopplegg",
            "Omforente kartleggingskriterier",
            "Informasjon registreres bare én gang",
        ],
        "evaluation_criteria": [
            ("Støtte for omforente kartleggingskriterier", 30),
            ("Brukervennlighet ute hos innbyggeren, også uten nett", 25),
            ("Strukturert lagring og deling via FHIR", 20),
            ("Informasjonssikkerhet og personvern", 15),
            ("Pris og lisensmodell", 10),
        ],
    },
    {
        "key": "automatisk-tildeling",
        "title": "Automatisk tildeling",
        "service_areas": ["tjenestetildeling"],
        "owner": "innlandet",
        "collaborators": ["ringsaker", "vinje"],
        "stage": "published",
        "summary": (
            "Regelstøttet behandling av enkle søknader, som trygghetsalarm og matombringing, slik at "
            "standardvedtak kan fattes raskt og likt. Saksbehandleren kontrollerer forslaget og har "
            "alltid det siste ordet."
        ),
        "problem_today": (
            "Enkle søknader tar like lang tid som kompliserte, fordi alle opplysninger må hentes og "
            "vurderes manuelt. Innbyggere venter i uker på tjenester som nesten alltid innvilges, "
            "og praksis varierer mellom saksbehandlere og kommuner."
        ),
        "desired_situation": (
            "Søknaden kommer inn digitalt med strukturerte opplysninger. Løsningen foreslår vedtak "
            "etter kommunens publiserte tildelingskriterier og viser hvilke regler som er brukt, "
            "slik at saksbehandleren kan godkjenne forslaget eller behandle saken manuelt."
        ),
        "systems_involved": (
            "Søknadsskjema på kommunens nettsider eller Helsenorge, saksbehandlingsløsningen, "
            "kommunens EPJ og Folkeregisteret."
        ),
        "professions_involved": (
            "Saksbehandlere ved tildelingskontoret, jurister og ledere for tildelingstjenesten."
        ),
        "goals": [
            "Lik behandling av innbygger",
            "Kortere saksbehandlingstid for enkle søknader",
            "Etterprøvbare vedtak med begrunnelse",
        ],
        "evaluation_criteria": [
            ("Åpenhet om reglene bak vedtaksforslaget", 30),
            ("Tilpasning til kommunens egne tildelingskriterier", 25),
            ("Integrasjon med EPJ og saksbehandlingsløsning", 20),
            ("Informasjonssikkerhet og personvern", 15),
            ("Pris og lisensmodell", 10),
        ],
    },
    {
        "key": "videomote-innbygger-parorende",
        "title": "Videomøte med innbygger og pårørende",
        "service_areas": ["tjenestetildeling", "hjemmetjenester", "psykisk-helse-og-rus"],
        "owner": "drammen",
        "collaborators": ["vinje"],
        "stage": "prioritisation",
        "summary": (
            "Sikre videomøter der innbygger, pårørende og helsepersonell kan delta fra hvert sitt sted, "
            "for eksempel i kartleggingssamtaler og ansvarsgruppemøter."
        ),
        "problem_today": (
            "Pårørende bor ofte langt unna og må ta fri fra jobb for å delta i møter. Tjenestene "
            "bruker ulike videoverktøy som ikke er vurdert for helseopplysninger, og møtene blir "
            "ikke dokumentert i journalen."
        ),
        "desired_situation": (
            "Innbyggeren og pårørende får invitasjon via Helsenorge eller SMS og deltar uten å "
            "installere noe. Helsepersonell starter møtet fra journalen, og et kort referat lagres "
            "der etterpå."
        ),
        "systems_involved": "Kommunens EPJ, Helsenorge, HelseID og kommunens kalendersystem.",
        "professions_involved": (
            "Saksbehandlere, sykepleiere, psykiatriske sykepleiere, vernepleiere og koordinatorer "
            "for individuell plan."
        ),
        "goals": [
            "Pårørende kan delta uten å reise",
            "Færre avlyste og utsatte møter",
            "Møtene dokumenteres i journalen",
        ],
        "evaluation_criteria": [],
    },
    {
        "key": "okt-innbyggerinvolvering",
        "title": "Økt innbyggerinvolvering",
        "service_areas": ["tjenestetildeling"],
        "owner": "ringsaker",
        "collaborators": [],
        "stage": "idea",
        "summary": (
            "Innbyggeren skal kunne følge egen søknad, se hvilke opplysninger kommunen bygger på og "
            "melde inn hva som er viktig for dem, før vedtak fattes."
        ),
        "problem_today": (
            "Innbyggere og pårørende vet sjelden hvor søknaden står, og ringer tildelingskontoret "
            "for å spørre. Hva som er viktig for innbyggeren, kommer ofte ikke fram før tjenesten "
            "allerede er i gang."
        ),
        "desired_situation": (
            "Innbyggeren ser status for søknaden på Helsenorge, får spørsmålet «Hva er viktig for "
            "deg?» før kartleggingsbesøket og kan rette opp feil i opplysningene. Svarene er "
            "tilgjengelige for saksbehandleren i saksbehandlingsløsningen."
        ),
        "systems_involved": "Helsenorge, saksbehandlingsløsningen og kommunens EPJ.",
        "professions_involved": (
            "Saksbehandlere ved tildelingskontoret og sykepleiere som gjør kartleggingsbesøk."
        ),
        "goals": [
            "Innbyggeren har en aktiv rolle i egen sak",
            "Færre telefonhenvendelser om status",
        ],
        "evaluation_criteria": [],
    },
    {
        "key": "selvregistrering",
        "title": "Selvregistrering",
        "service_areas": ["tjenestetildeling", "hjemmetjenester"],
        "owner": "bodo",
        "collaborators": ["innlandet"],
        "stage": "idea",
        "summary": (
            "Innbyggeren eller pårørende fyller selv ut deler av kartleggingen digitalt før første "
            "møte med tjenesten, slik at besøket kan brukes på det som krever faglig vurdering."
        ),
        "problem_today": (
            "Mye av tiden på kartleggingsbesøket går med til å samle inn opplysninger innbyggeren "
            "kunne gitt selv, som fastlege, legemidler, hjelpemidler og kontaktpersoner. "
            "Opplysningene skrives ned på papir og registreres på nytt i journalen."
        ),
        "desired_situation": (
            "Innbyggeren får et enkelt skjema på Helsenorge. Svarene lagres strukturert og "
            "forhåndsutfyller kartleggingen, slik at helsepersonell bare bekrefter eller retter."
        ),
        "systems_involved": "Helsenorge, kartleggingsløsning, kommunens EPJ og Pasientens legemiddelliste.",
        "professions_involved": "Saksbehandlere, sykepleiere og helsefagarbeidere.",
        "goals": [
            "Informasjon registreres bare én gang",
            "Kortere kartleggingsbesøk",
        ],
        "evaluation_criteria": [],
    },
    {
        "key": "innspill-fastlege",
        "title": "Innspill fra fastlege i tildelingssaker",
        "service_areas": ["tjenestetildeling", "fastlege"],
        "owner": "bodo",
        "collaborators": ["hammerfest"],
        "stage": "prioritisation",
        "summary": (
            "Tildelingskontoret skal kunne be om og motta strukturerte innspill fra fastlegen i "
            "saker om helse- og omsorgstjenester, direkte i eget arbeidsverktøy."
        ),
        "problem_today": (
            "Tildelingskontoret sender forespørsler til fastlegen som fritekst i PLO-meldinger eller "
            "per brev. Svarene kommer sent, er av varierende kvalitet og må leses og tolkes manuelt."
        ),
        "desired_situation": (
            "Fastlegen får en kort, strukturert forespørsel i sitt journalsystem med de "
            "spørsmålene som er relevante for saken. Svaret kommer tilbake til saken og kan brukes "
            "direkte i vurderingen."
        ),
        "systems_involved": (
            "Fastlegens journalsystem, kommunens EPJ, saksbehandlingsløsningen og helsenettet."
        ),
        "professions_involved": "Fastleger, saksbehandlere ved tildelingskontoret og sykepleiere.",
        "goals": [
            "Raskere og bedre faglig grunnlag for vedtak",
            "Mindre dobbeltarbeid for fastlegen",
        ],
        "evaluation_criteria": [],
    },
    {
        "key": "news2",
        "title": "NEWS2 – tidlig oppdagelse av forverret tilstand",
        "service_areas": ["sykehjem-og-omsorgsbolig", "hjemmetjenester", "legevakt", "sykehjemslege"],
        "owner": "stavanger",
        "collaborators": ["bergen", "kristiansand", "nhn"],
        "stage": "published",
        "summary": (
            "Målinger av vitale tegn skåres etter National Early Warning Score (NEWS2) og deles med "
            "sykehjemslege, legevakt og hjemmetjeneste, slik at forverret tilstand oppdages tidlig. "
            "Behovet er ett av de to første utprøvingsprosjektene i felles journalløft."
        ),
        "problem_today": (
            "Pustefrekvens, puls, blodtrykk, oksygenmetning og temperatur måles, men skrives ofte "
            "på papir eller i fritekst. Legevakten ser ikke målingene fra sykehjemmet, og utviklingen "
            "over tid er vanskelig å følge."
        ),
        "desired_situation": (
            "Målingene registreres strukturert ved sengen eller hjemme hos pasienten, NEWS2-skåren "
            "beregnes automatisk, og økende skår gir varsel etter kommunens prosedyre. Legevakt og "
            "lege ser målinger og utvikling i sin egen arbeidsflate."
        ),
        "systems_involved": (
            "Kommunens EPJ, legevaktens journalsystem, måleutstyr med Bluetooth og felles "
            "programvareinfrastruktur hos Norsk helsenett."
        ),
        "professions_involved": "Sykepleiere, helsefagarbeidere, sykehjemsleger og leger på legevakt.",
        "goals": [
            "Forverret tilstand oppdages tidligere",
            "Felles språk om pasientens tilstand mellom tjenestene",
            "Færre unødvendige sykehusinnleggelser",
        ],
        "evaluation_criteria": [
            ("Korrekt beregning av NEWS2 og tydelige varsler", 30),
            ("Deling av målinger med legevakt og lege", 25),
            ("Brukervennlighet ved sengen og hjemme hos pasienten", 20),
            ("Støtte for måleutstyr", 15),
            ("Pris og lisensmodell", 10),
        ],
    },
    {
        "key": "oversikt-kommunale-tjenester",
        "title": "Oversikt over kommunale tjenester",
        "service_areas": ["tjenestetildeling", "legevakt", "fastlege", "hjemmetjenester"],
        "owner": "baerum",
        "collaborators": ["oslo", "bergen", "nhn"],
        "stage": "published",
        "summary": (
            "Helsepersonell skal raskt kunne se hvilke kommunale helse- og omsorgstjenester en "
            "pasient mottar, med kontaktinformasjon til tjenesten. Behovet er ett av de to første "
            "utprøvingsprosjektene i felles journalløft."
        ),
        "problem_today": (
            "Fastlegen og legevakten vet ofte ikke at pasienten har hjemmesykepleie, "
            "trygghetsalarm eller korttidsopphold. Informasjonen er låst inne i kommunens "
            "fagsystemer, og helsepersonell må ringe rundt for å finne den."
        ),
        "desired_situation": (
            "Vedtak om tjenester publiseres som strukturert informasjon på felles infrastruktur. "
            "Fastlege, legevakt og andre tjenester med tjenstlig behov slår opp i sitt eget "
            "journalsystem og ser tjenestene og hvem de skal kontakte."
        ),
        "systems_involved": (
            "Kommunens EPJ og saksbehandlingsløsning, fastlegens og legevaktens journalsystemer, "
            "HelseID og felles programvareinfrastruktur hos Norsk helsenett."
        ),
        "professions_involved": (
            "Fastleger, leger og sykepleiere på legevakt, saksbehandlere og sykepleiere i "
            "hjemmetjenesten."
        ),
        "goals": [
            "Helsepersonell finner relevant informasjon uten å ringe rundt",
            "Bedre pasientsikkerhet ved akutt sykdom",
            "Løsningen kan tas i bruk av alle kommuner med samme leverandør",
        ],
        "evaluation_criteria": [
            ("Oppslag fra fastlegens og legevaktens arbeidsflate", 30),
            ("Bruk av nasjonal infrastruktur og standarder", 25),
            ("Tilgangsstyring og logging", 25),
            ("Pris og lisensmodell", 20),
        ],
    },
    {
        "key": "legemiddelhandtering-hjemmetjenesten",
        "title": "Legemiddelhåndtering i hjemmetjenesten",
        "service_areas": ["hjemmetjenester", "sykehjem-og-omsorgsbolig"],
        "owner": "kristiansand",
        "collaborators": ["oslo", "vinje"],
        "stage": "evaluation_criteria",
        "summary": (
            "Sikker legemiddelhåndtering der helsepersonell i hjemmetjenesten ser oppdatert "
            "legemiddelliste, signerer utdeling digitalt og får varsel om avvik."
        ),
        "problem_today": (
            "Legemiddelkurven finnes på papir hjemme hos pasienten og i journalen, og de stemmer ikke "
            "alltid overens. Endringer fra fastlegen når ikke hjemmetjenesten i tide, og "
            "utdeling signeres på papirlister."
        ),
        "desired_situation": (
            "Helsepersonell ser pasientens legemiddelliste fra Pasientens legemiddelliste (PLL) "
            "og e-resept på mobilen, skanner og signerer utdeling på stedet og får varsel når en "
            "dose ikke er gitt. Endringer fra fastlegen er synlige med en gang."
        ),
        "systems_involved": (
            "Kommunens EPJ, e-resept, Pasientens legemiddelliste, Kjernejournal og multidosesystemet."
        ),
        "professions_involved": "Sykepleiere, helsefagarbeidere, fastleger og farmasøyter.",
        "goals": [
            "Færre legemiddelavvik",
            "Én oppdatert legemiddelliste for pasienten",
            "Digital signering av utdeling",
        ],
        "evaluation_criteria": [
            ("Integrasjon med PLL og e-resept", 35),
            ("Støtte for signering og avviksvarsling", 25),
            ("Brukervennlighet ute hos pasienten", 20),
            ("Informasjonssikkerhet", 10),
            ("Pris og lisensmodell", 10),
        ],
    },
    {
        "key": "kritisk-informasjon-legevakt",
        "title": "Kritisk informasjon på legevakt",
        "service_areas": ["legevakt", "sykehjem-og-omsorgsbolig"],
        "owner": "hammerfest",
        "collaborators": ["bodo"],
        "stage": "prioritisation",
        "summary": (
            "Legevakten skal straks se kritisk informasjon om pasienten, som beslutning om å avstå "
            "fra hjerte-lunge-redning (HLR minus), alvorlige allergier og pasientens egne ønsker."
        ),
        "problem_today": (
            "En beslutning om HLR minus er dokumentert i sykehjemmets journal, men ikke i legevaktens "
            "system og heller ikke i Kjernejournal. Legevakten kan derfor sette i gang behandling "
            "som pasienten uttrykkelig ikke ønsket."
        ),
        "desired_situation": (
            "Kritisk informasjon registreres én gang, deles via Kjernejournal og vises tydelig når "
            "legevakten åpner pasienten. Legen ser hvem som har dokumentert beslutningen og når."
        ),
        "systems_involved": "Legevaktens journalsystem, kommunens EPJ, Kjernejournal og HelseID.",
        "professions_involved": "Leger og sykepleiere på legevakt, sykehjemsleger og fastleger.",
        "goals": [
            "Pasientens ønsker respekteres også i akutte situasjoner",
            "Økt pasientsikkerhet",
        ],
        "evaluation_criteria": [],
    },
    {
        "key": "hjelpemidler-oversikt",
        "title": "Oversikt over hjelpemidler og utstyr",
        "service_areas": ["nedsatt-funksjonsevne", "hjemmetjenester", "rehabilitering"],
        "owner": "kristiansand",
        "collaborators": [],
        "stage": "idea",
        "summary": (
            "Én oversikt over hvilke hjelpemidler og hvilket utstyr en innbygger har fått fra kommunen "
            "og Nav Hjelpemiddelsentral, tilgjengelig for alle tjenester som følger opp innbyggeren."
        ),
        "problem_today": (
            "Ergoterapeuter, fysioterapeuter og hjemmetjenesten har hver sin oversikt, og ingen vet "
            "sikkert hvilke hjelpemidler innbyggeren har. Det gir dobbeltbestillinger og utstyr som "
            "ikke blir hentet tilbake."
        ),
        "desired_situation": (
            "Hjelpemidler registreres strukturert ved utlån og er synlige i journalen til alle med "
            "tjenstlig behov, med service- og returdatoer."
        ),
        "systems_involved": "Kommunens hjelpemiddellager, EPJ og Navs hjelpemiddelsystem.",
        "professions_involved": "Ergoterapeuter, fysioterapeuter, hjelpemiddelteknikere og sykepleiere.",
        "goals": [
            "Færre dobbeltbestillinger",
            "Bedre oversikt for alle tjenester rundt innbyggeren",
        ],
        "evaluation_criteria": [],
    },
    {
        "key": "egenrapportering-psykisk-helse",
        "title": "Egenrapportering i psykisk helse og rus",
        "service_areas": ["psykisk-helse-og-rus"],
        "owner": "bergen",
        "collaborators": ["stavanger", "nsf"],
        "stage": "evaluation_criteria",
        "summary": (
            "Brukere av psykisk helse- og rustjenester rapporterer selv hvordan de har det mellom "
            "samtalene, og behandleren ser historikken strukturert i journalen."
        ),
        "problem_today": (
            "Oppfølgingen bygger på hva brukeren husker fra uken som gikk. Kartleggingsskjemaer "
            "fylles ut på papir i timen, og historikken er vanskelig å følge over tid eller "
            "mellom tjenester."
        ),
        "desired_situation": (
            "Brukeren svarer på korte, validerte skjemaer i en app eller på Helsenorge. Svarene "
            "vises som utvikling over tid for behandleren, og tydelige forverringer gir varsel."
        ),
        "systems_involved": "Helsenorge, kommunens EPJ og kartleggingsløsning.",
        "professions_involved": "Psykiatriske sykepleiere, psykologer, sosionomer og miljøterapeuter.",
        "goals": [
            "Mer treffsikker oppfølging",
            "Brukeren har en aktiv rolle i egen behandling",
        ],
        "evaluation_criteria": [
            ("Validerte kartleggingsskjemaer", 30),
            ("Brukervennlighet for innbyggeren", 30),
            ("Visning av historikk i journalen", 25),
            ("Pris og lisensmodell", 15),
        ],
    },
    {
        "key": "helseinformasjon-fengsel",
        "title": "Helseopplysninger ved innsettelse og løslatelse",
        "service_areas": ["fengsel", "psykisk-helse-og-rus"],
        "owner": "oslo",
        "collaborators": [],
        "stage": "prioritisation",
        "summary": (
            "Helsetjenesten i fengselet skal få relevante helseopplysninger når en person settes inn, "
            "og bostedskommunen skal få beskjed i god tid før løslatelse."
        ),
        "problem_today": (
            "Helsetjenesten i fengselet mangler ofte oversikt over legemidler og pågående "
            "behandling ved innsettelse. Ved løslatelse står mange uten fastlege, legemidler og "
            "oppfølging fra bostedskommunen."
        ),
        "desired_situation": (
            "Ved innsettelse ser helsetjenesten legemidler fra PLL og informasjon i Kjernejournal. "
            "Før løslatelse sendes en strukturert melding til fastlegen og bostedskommunens tjenester."
        ),
        "systems_involved": "Fengselshelsetjenestens journalsystem, Kjernejournal, PLL og helsenettet.",
        "professions_involved": (
            "Sykepleiere og leger i fengselshelsetjenesten, fastleger og rusteam i kommunene."
        ),
        "goals": [
            "Trygg legemiddelbehandling ved innsettelse",
            "Sammenhengende oppfølging etter løslatelse",
        ],
        "evaluation_criteria": [],
    },
    {
        "key": "seniorsenter-aktiviteter",
        "title": "Digital påmelding og aktivitetsoversikt for seniorsentre",
        "service_areas": ["seniorsentre", "eldreomsorg"],
        "owner": "vinje",
        "collaborators": ["hammerfest"],
        "stage": "idea",
        "summary": (
            "Seniorer og pårørende finner aktiviteter på seniorsenteret, melder seg på og bestiller "
            "skyss, og frivillige ser hvem som trenger følge."
        ),
        "problem_today": (
            "Aktiviteter annonseres på oppslagstavler og i lokalavisen. Påmelding skjer per telefon, "
            "og i spredtbygde kommuner faller mange fra fordi skyss ikke er ordnet."
        ),
        "desired_situation": (
            "En enkel oversikt på nett og på skjerm på senteret, påmelding med ett trykk for seniorer "
            "og pårørende og automatisk beskjed til frivilligsentralen om skyss."
        ),
        "systems_involved": "Kommunens nettsider, frivilligsentralens system og SMS-varsling.",
        "professions_involved": "Ledere av seniorsentre, aktivitører og frivillige.",
        "goals": [
            "Flere seniorer deltar i aktiviteter",
            "Forebygge ensomhet",
        ],
        "evaluation_criteria": [],
    },
    {
        "key": "fysioterapi-henvisning",
        "title": "Henvisning og venteliste til fysioterapi",
        "service_areas": ["fysioterapi-i-kommunen", "fysioterapi-driftsavtale", "rehabilitering"],
        "owner": "drammen",
        "collaborators": ["baerum"],
        "stage": "prioritisation",
        "summary": (
            "Én felles venteliste for kommunale fysioterapeuter og fysioterapeuter med driftsavtale, "
            "med elektronisk henvisning og prioritering etter faglige kriterier."
        ),
        "problem_today": (
            "Henvisninger kommer på papir, per e-post og som meldinger til hver enkelt fysioterapeut. "
            "Pasienter står på flere ventelister samtidig, og kommunen har ikke oversikt over "
            "den reelle ventetiden."
        ),
        "desired_situation": (
            "Henvisninger kommer elektronisk til én felles mottaksløsning, prioriteres etter omforente "
            "kriterier og fordeles til ledig kapasitet. Pasienten får beskjed om forventet ventetid."
        ),
        "systems_involved": "Fastlegens journalsystem, fysioterapeutenes journalsystemer og helsenettet.",
        "professions_involved": "Fysioterapeuter, fastleger og kommunens koordinerende enhet.",
        "goals": [
            "Kortere og mer rettferdig ventetid",
            "Oversikt over kapasitet i hele kommunen",
        ],
        "evaluation_criteria": [],
    },
    {
        "key": "tannhelse-hjemmetjenesten",
        "title": "Samhandling mellom tannhelsetjenesten og hjemmetjenesten",
        "service_areas": ["tannhelse-for-pleietrengende", "tannhelsetjeneste", "hjemmetjenester"],
        "owner": "innlandet",
        "collaborators": ["ringsaker"],
        "stage": "idea",
        "summary": (
            "Den offentlige tannhelsetjenesten og kommunens hjemmetjeneste deler informasjon om "
            "hvem som har rett til gratis tannhelsehjelp, og om behov for munnstell."
        ),
        "problem_today": (
            "Tannhelsetjenesten får ikke vite når en innbygger får hjemmesykepleie i mer enn tre "
            "måneder og dermed har rett til offentlig tannhelsehjelp. Mange pleietrengende får "
            "derfor ikke tilbudet de har krav på."
        ),
        "desired_situation": (
            "Hjemmetjenesten melder digitalt fra om nye pasienter med rett til tannhelsehjelp, og "
            "tannhelsetjenesten sender råd om munnstell tilbake som vises i pleieplanen."
        ),
        "systems_involved": "Tannhelsetjenestens journalsystem, kommunens EPJ og helsenettet.",
        "professions_involved": "Tannleger, tannpleiere, sykepleiere og helsefagarbeidere.",
        "goals": [
            "Alle med rett til tannhelsehjelp får tilbud",
            "Bedre munnhelse hos pleietrengende",
        ],
        "evaluation_criteria": [],
    },
    {
        "key": "sms-timepaminnelse",
        "title": "Felles SMS-påminnelse om avtaler",
        "service_areas": ["helsestasjon-og-skolehelsetjeneste", "fysioterapi-i-kommunen"],
        "owner": "hammerfest",
        "collaborators": [],
        "stage": "archived",
        "summary": (
            "Automatisk påminnelse om avtaler på helsestasjon og hos kommunal fysioterapeut. Behovet "
            "er arkivert fordi det dekkes av nasjonale løsninger og eksisterende journalsystemer."
        ),
        "problem_today": (
            "Mange avtaler blir ikke møtt fordi innbyggeren har glemt dem, og tjenestene sender "
            "påminnelser manuelt."
        ),
        "desired_situation": (
            "Innbyggeren får påminnelse på Helsenorge eller SMS i forkant av avtalen og kan avbestille "
            "digitalt."
        ),
        "systems_involved": "Helsenorge og journalsystemene på helsestasjonen og i fysioterapitjenesten.",
        "professions_involved": "Helsesykepleiere, jordmødre og fysioterapeuter.",
        "goals": ["Færre ikke-møtte avtaler"],
        "evaluation_criteria": [],
    },
]


# ---------------------------------------------------------------------------------------------------
# Products with their product declaration (Funksjon, Informasjon, Innføring) for Verifikasjon/Butikken.
# FHIR: R4 resource type -> interaction codes (read, vread, update, patch, delete, history-instance,
# history-type, create, search-type). data_location: norway, eea or other.
# ---------------------------------------------------------------------------------------------------

PRODUCTS = [
    {
        "key": "kartleggeren-kognitiv",
        "name": "Kartleggeren Kognitiv",
        "vendor": "kartleggeren",
        "short_description": "Standardisert kognitiv kartlegging på nettbrett, også uten nett.",
        "description": (
            "Kartleggeren Kognitiv er utviklet sammen med kjerneteamet bak det felles behovsgrunnlaget "
            "for kognitiv kartlegging i Innlandet. Helsepersonell tar med seg nettbrettet hjem til "
            "innbyggeren, ser tidligere kartlegginger og gjennomfører kartleggingen etter omforente "
            "kriterier. Resultatet lagres strukturert og er tilgjengelig for tildelingskontoret med "
            "en gang."
        ),
        "service_areas": ["tjenestetildeling", "hjemmetjenester", "eldreomsorg"],
        "answers_needs": ["kognitiv-kartlegging", "selvregistrering"],
        "price_model": (
            "Årlig lisens per innbygger i kommunen: 1,90 kr (minimum 15 000 kr per år). Oppstart og "
            "opplæring inngår."
        ),
        "website": "https://kartleggeren.example/kognitiv",
        "functions": (
            "Veiledet kognitiv kartlegging med omforente kartleggingskriterier, visning av tidligere "
            "kartlegginger og utvikling over tid, forhåndsutfylling fra innbyggerens selvregistrering, "
            "frakoblet modus med kryptert mellomlagring og overføring av resultatet til kommunens EPJ."
        ),
        "work_processes": [
            "Kartleggingsbesøk hos innbygger",
            "Behandling av søknad om helse- og omsorgstjenester",
            "Evaluering av vedtak",
        ],
        "professions": ["Saksbehandler", "Sykepleier", "Ergoterapeut", "Helsefagarbeider"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "Questionnaire": ["read", "search-type"],
            "QuestionnaireResponse": ["read", "search-type", "create", "update"],
            "Observation": ["read", "search-type", "create"],
            "Practitioner": ["read"],
        },
        "terminologies": ["SNOMED CT", "ICPC-2"],
        "national_solutions": ["HelseID", "Helsenorge"],
        "data_location": "norway",
        "processor": (
            "Kartleggeren AS er databehandler. Drift i to datasentre i Norge (Oslo og Trondheim) hos "
            "norsk underleverandør."
        ),
        "prerequisites": (
            "Nettbrett med iPadOS 16 eller Android 13 eller nyere, HelseID-pålogging for brukerne og "
            "FHIR-grensesnitt mot kommunens EPJ. Kommunen må ha vedtatt felles kartleggingskriterier."
        ),
        "training": (
            "Halvdags opplæring av superbrukere, e-læringskurs på 45 minutter for alle brukere og "
            "korte videoer for hver kartleggingstype."
        ),
        "onboarding_support": (
            "Fast kontaktperson de første tre månedene, ukentlige oppfølgingsmøter de første seks "
            "ukene og brukerstøtte på telefon hverdager 08–16."
        ),
        "risks": [
            {
                "title": "Nettbrett med helseopplysninger kommer på avveie",
                "likelihood": 3,
                "consequence": 4,
                "mitigation": (
                    "Kryptert lagring, automatisk utlogging etter fem minutter og fjernsletting via "
                    "kommunens MDM-løsning."
                ),
            },
            {
                "title": "Ulik bruk av kartleggingskriteriene mellom ansatte",
                "likelihood": 3,
                "consequence": 3,
                "mitigation": "Veiledning i skjemaet, felles opplæring og årlig kalibreringsøvelse.",
            },
            {
                "title": "Resultat overføres ikke til EPJ",
                "likelihood": 2,
                "consequence": 3,
                "mitigation": "Kø med automatisk ny overføring og varsel til superbruker etter én time.",
            },
        ],
    },
    {
        "key": "kartleggeren-egenrapport",
        "name": "Kartleggeren Egenrapport",
        "vendor": "kartleggeren",
        "short_description": "Egenrapportering med validerte skjemaer for psykisk helse og rus.",
        "description": (
            "Brukeren svarer på korte, validerte skjemaer mellom samtalene, på mobil eller via "
            "Helsenorge. Behandleren ser utviklingen over tid i en enkel graf og får varsel ved "
            "tydelig forverring."
        ),
        "service_areas": ["psykisk-helse-og-rus"],
        "answers_needs": ["egenrapportering-psykisk-helse"],
        "price_model": "Abonnement per aktiv bruker: 35 kr per måned. Ingen oppstartskostnad.",
        "website": "https://kartleggeren.example/egenrapport",
        "functions": (
            "Utsending av skjemaer etter plan, påminnelser, visning av utvikling over tid, varsel ved "
            "forverring etter terskler kommunen selv setter og eksport av svar til journalen."
        ),
        "work_processes": ["Oppfølgingssamtaler", "Kartlegging ved oppstart", "Evaluering av tiltak"],
        "professions": ["Psykiatrisk sykepleier", "Psykolog", "Sosionom", "Miljøterapeut"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "Questionnaire": ["read", "search-type"],
            "QuestionnaireResponse": ["read", "search-type", "create"],
            "Flag": ["read", "search-type", "create"],
        },
        "terminologies": ["SNOMED CT", "ICD-10"],
        "national_solutions": ["Helsenorge", "HelseID"],
        "data_location": "norway",
        "processor": "Kartleggeren AS er databehandler. Drift i Norge hos norsk underleverandør.",
        "prerequisites": (
            "Innbyggeren må ha BankID for innlogging via Helsenorge. Kommunen tilpasser terskler for varsel."
        ),
        "training": (
            "To timers nettkurs for behandlere og veileder til brukere på bokmål, nynorsk og nordsamisk."
        ),
        "onboarding_support": (
            "Oppstartsmøte, hjelp til å velge skjemaer og brukerstøtte på e-post og telefon."
        ),
        "risks": [
            {
                "title": "Varsel om forverring blir ikke fulgt opp utenom arbeidstid",
                "likelihood": 3,
                "consequence": 5,
                "mitigation": (
                    "Tydelig informasjon til brukeren om at svarene ikke leses fortløpende, med "
                    "henvisning til legevakt og 113 ved akutt behov."
                ),
            },
            {
                "title": "Lav svarprosent",
                "likelihood": 3,
                "consequence": 2,
                "mitigation": "Påminnelser, korte skjemaer og gjennomgang av svarene i samtalene.",
            },
        ],
    },
    {
        "key": "tildel-vedtak",
        "name": "Tildel Vedtak",
        "vendor": "tildel",
        "short_description": "Regelstøttet behandling av enkle søknader med forslag til vedtak.",
        "description": (
            "Tildel Vedtak tar imot digitale søknader, henter relevante opplysninger og foreslår vedtak "
            "etter kommunens publiserte tildelingskriterier. Saksbehandleren ser hvilke regler som er "
            "brukt, og godkjenner eller overstyrer forslaget med begrunnelse."
        ),
        "service_areas": ["tjenestetildeling"],
        "answers_needs": ["automatisk-tildeling", "okt-innbyggerinvolvering"],
        "price_model": (
            "Fast årspris etter kommunestørrelse fra 40 000 kr; felleskjøpspris for deltakende kommuner."
        ),
        "website": "https://tildel.example/vedtak",
        "functions": (
            "Søknadsmottak, regelmotor for tildelingskriterier, forslag til vedtak med begrunnelse, "
            "statusvisning for innbyggeren og statistikk over saksbehandlingstid."
        ),
        "work_processes": ["Behandling av søknad", "Vedtak og klagebehandling", "Statistikk og styring"],
        "professions": ["Saksbehandler", "Jurist", "Leder for tildelingskontor"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "ServiceRequest": ["read", "search-type", "create", "update"],
            "Task": ["read", "search-type", "create", "update"],
            "QuestionnaireResponse": ["read", "search-type"],
            "DocumentReference": ["read", "create"],
        },
        "terminologies": ["Kodeverk for helsepersonell", "SNOMED CT"],
        "national_solutions": ["HelseID", "Helsenorge", "Adresseregisteret"],
        "data_location": "norway",
        "processor": "Tildel AS er databehandler. Drift i Norsk helsenetts datasenter.",
        "prerequisites": (
            "Kommunen må ha vedtatt og publisert tildelingskriterier, og saksbehandlingsløsningen må "
            "ha FHIR-grensesnitt eller bruke Tildels standardintegrasjon."
        ),
        "training": (
            "Kurs i regeloppsett for fagansvarlige (én dag) og brukeropplæring for saksbehandlere (to "
            "timer)."
        ),
        "onboarding_support": (
            "Leverandøren legger inn kommunens regler sammen med fagansvarlig og tester mot eldre saker."
        ),
        "risks": [
            {
                "title": "Feil i regeloppsettet gir urettmessige avslag",
                "likelihood": 2,
                "consequence": 5,
                "mitigation": (
                    "Avslag foreslås aldri automatisk; alle forslag godkjennes av saksbehandler, og "
                    "regler testes mot historiske saker før bruk."
                ),
            },
            {
                "title": "Saksbehandlere stoler for mye på forslaget",
                "likelihood": 3,
                "consequence": 3,
                "mitigation": "Stikkprøvekontroll av godkjente forslag og kvartalsvis gjennomgang.",
            },
        ],
    },
    {
        "key": "tildel-tjenesteoversikt",
        "name": "Tildel Tjenesteoversikt",
        "vendor": "tildel",
        "short_description": "Viser hvilke kommunale tjenester pasienten mottar, rett i legens journal.",
        "description": (
            "Tildel Tjenesteoversikt publiserer vedtak om kommunale helse- og omsorgstjenester som "
            "strukturert informasjon på felles infrastruktur. Fastlege og legevakt ser tjenestene og "
            "kontaktinformasjon til tjenesten i sin egen arbeidsflate."
        ),
        "service_areas": ["tjenestetildeling", "legevakt", "fastlege", "hjemmetjenester"],
        "answers_needs": ["oversikt-kommunale-tjenester"],
        "price_model": "Inkludert for kommuner med Tildel Vedtak; ellers 0,80 kr per innbygger per år.",
        "website": "https://tildel.example/oversikt",
        "functions": (
            "Publisering av vedtak som FHIR EpisodeOfCare og HealthcareService, oppslag fra "
            "journalsystemer med HelseID-token, tilgangslogg og innsyn for innbyggeren via Helsenorge."
        ),
        "work_processes": ["Akutt vurdering på legevakt", "Fastlegekonsultasjon", "Utskrivning fra sykehus"],
        "professions": ["Fastlege", "Lege på legevakt", "Sykepleier", "Saksbehandler"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "EpisodeOfCare": ["read", "search-type", "create", "update"],
            "HealthcareService": ["read", "search-type"],
            "Organization": ["read", "search-type"],
            "PractitionerRole": ["read", "search-type"],
        },
        "terminologies": ["SNOMED CT", "Kodeverk for helsepersonell"],
        "national_solutions": ["HelseID", "Helsenorge", "Adresseregisteret", "VKP"],
        "data_location": "norway",
        "processor": (
            "Tildel AS er databehandler. Data lagres på felles programvareinfrastruktur hos Norsk helsenett."
        ),
        "prerequisites": (
            "Avtale om bruk av felles infrastruktur hos Norsk helsenett og tilgangsstyring i HelseID."
        ),
        "training": "Kort e-læring for leger og sykepleiere; ingen opplæring nødvendig for saksbehandlere.",
        "onboarding_support": "Felles oppstartsprogram for utprøvingskommunene, med KS og Norsk helsenett.",
        "risks": [
            {
                "title": "Oppslag uten tjenstlig behov",
                "likelihood": 2,
                "consequence": 4,
                "mitigation": "Logging av alle oppslag, innsyn for innbyggeren og jevnlig loggkontroll.",
            },
            {
                "title": "Utdatert informasjon om tjenester",
                "likelihood": 3,
                "consequence": 3,
                "mitigation": "Publisering ved hvert vedtak og tydelig visning av dato for siste endring.",
            },
        ],
    },
    {
        "key": "varselpluss-news2",
        "name": "VarselPluss NEWS2",
        "vendor": "varselpluss",
        "short_description": "Automatisk NEWS2-skår og varsling ved forverret tilstand.",
        "description": (
            "VarselPluss NEWS2 henter målinger fra godkjent måleutstyr via Bluetooth, beregner "
            "NEWS2-skår og varsler etter kommunens prosedyre. Målinger og utvikling deles med "
            "sykehjemslege og legevakt."
        ),
        "service_areas": ["sykehjem-og-omsorgsbolig", "hjemmetjenester", "legevakt", "sykehjemslege"],
        "answers_needs": ["news2"],
        "price_model": "Per seng eller pasient: 25 kr per måned. Måleutstyr kan leies eller kjøpes.",
        "website": "https://varselpluss.example/news2",
        "functions": (
            "Registrering av vitale tegn manuelt eller fra måleutstyr, automatisk NEWS2-beregning, "
            "trendvisning, varsling til ansvarlig sykepleier og lege og deling av målinger med legevakt."
        ),
        "work_processes": [
            "Observasjon av pasient",
            "Tilkalling av lege",
            "Overføring til legevakt eller sykehus",
        ],
        "professions": ["Sykepleier", "Helsefagarbeider", "Sykehjemslege", "Lege på legevakt"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "Observation": ["read", "search-type", "create"],
            "RiskAssessment": ["read", "search-type", "create"],
            "Device": ["read", "search-type"],
            "Encounter": ["read", "search-type"],
        },
        "terminologies": ["SNOMED CT", "LOINC"],
        "national_solutions": ["HelseID", "Kjernejournal"],
        "data_location": "norway",
        "processor": "VarselPluss AS er databehandler. Drift i Norge.",
        "prerequisites": (
            "Trådløst nett i sykehjemmet, nettbrett eller mobil til ansatte og kommunal prosedyre for "
            "oppfølging av NEWS2-skår."
        ),
        "training": "Fire timers kurs i NEWS2 og bruk av løsningen, med praktisk trening og e-læring.",
        "onboarding_support": "Leverandøren er til stede de første to dagene på hver avdeling.",
        "risks": [
            {
                "title": "Varslingstretthet ved mange varsler",
                "likelihood": 3,
                "consequence": 3,
                "mitigation": "Kommunen justerer varslingsmottakere; varsler samles per vakt.",
            },
            {
                "title": "Feil måling fra utstyr",
                "likelihood": 2,
                "consequence": 4,
                "mitigation": (
                    "Kun CE-merket utstyr, manuell kontroll ved avvik og tydelig kilde på hver måling."
                ),
            },
        ],
    },
    {
        "key": "omsorgsdata-legemiddel",
        "name": "Omsorgsdata Legemiddel",
        "vendor": "omsorgsdata",
        "short_description": "Legemiddelliste, utdeling og signering på mobilen i hjemmetjenesten.",
        "description": (
            "Omsorgsdata Legemiddel gir helsepersonell oppdatert legemiddelliste fra PLL og e-resept "
            "ute hos pasienten. Utdeling skannes og signeres på stedet, og manglende doser gir varsel."
        ),
        "service_areas": ["hjemmetjenester", "sykehjem-og-omsorgsbolig"],
        "answers_needs": ["legemiddelhandtering-hjemmetjenesten"],
        "price_model": "Per bruker: 90 kr per måned; felleskjøpspris 70 kr per måned.",
        "website": "https://omsorgsdata.example/legemiddel",
        "functions": (
            "Visning av legemiddelliste fra PLL, strekkodeskanning av multidoseposer, digital "
            "signering av utdeling, varsel om manglende dose og avviksmelding."
        ),
        "work_processes": ["Legemiddelutdeling", "Legemiddelgjennomgang", "Avviksbehandling"],
        "professions": ["Sykepleier", "Helsefagarbeider", "Fastlege"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "MedicationStatement": ["read", "search-type"],
            "MedicationRequest": ["read", "search-type"],
            "MedicationAdministration": ["read", "search-type", "create"],
            "AllergyIntolerance": ["read", "search-type"],
        },
        "terminologies": ["SNOMED CT", "ICPC-2"],
        "national_solutions": ["e-resept", "PLL", "Kjernejournal", "HelseID"],
        "data_location": "norway",
        "processor": (
            "Omsorgsdata AS er databehandler. Drift i eget datasenter i Trondheim med reserve i Tromsø."
        ),
        "prerequisites": (
            "Tilkobling til e-resept og PLL gjennom kommunens EPJ, mobiltelefoner med kamera og avtale "
            "med multidoseapotek."
        ),
        "training": "Tre timers opplæring for alle brukere og ekstra kurs for legemiddelansvarlige.",
        "onboarding_support": "Trinnvis innføring sone for sone med superbrukere fra leverandøren.",
        "risks": [
            {
                "title": "Manglende nettdekning hos pasienten",
                "likelihood": 4,
                "consequence": 3,
                "mitigation": (
                    "Frakoblet modus med siste legemiddelliste og synkronisering når nett er tilbake."
                ),
            },
            {
                "title": "Uoverensstemmelse mellom PLL og multidose",
                "likelihood": 2,
                "consequence": 5,
                "mitigation": "Automatisk sammenligning og varsel til sykepleier før utdeling.",
            },
        ],
    },
    {
        "key": "omsorgsdata-kritisk-info",
        "name": "Omsorgsdata Kritisk info",
        "vendor": "omsorgsdata",
        "short_description": "Viser HLR-status, allergier og pasientens ønsker tydelig på legevakt.",
        "description": (
            "Omsorgsdata Kritisk info samler kritisk informasjon om pasienten fra Kjernejournal og "
            "kommunens journal og viser den øverst når legevakten åpner pasienten."
        ),
        "service_areas": ["legevakt", "sykehjem-og-omsorgsbolig"],
        "answers_needs": ["kritisk-informasjon-legevakt"],
        "price_model": "Fast årspris per legevaktdistrikt: 60 000 kr.",
        "website": "https://omsorgsdata.example/kritisk-info",
        "functions": (
            "Registrering av beslutning om HLR minus med ansvarlig lege og dato, visning av kritisk "
            "informasjon fra Kjernejournal og varsel hvis informasjonen er eldre enn ett år."
        ),
        "work_processes": ["Akutt vurdering på legevakt", "Forhåndssamtaler i sykehjem"],
        "professions": ["Lege på legevakt", "Sykehjemslege", "Sykepleier"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "Flag": ["read", "search-type", "create", "update"],
            "AllergyIntolerance": ["read", "search-type"],
            "Consent": ["read", "search-type", "create"],
        },
        "terminologies": ["SNOMED CT", "ICD-10"],
        "national_solutions": ["Kjernejournal", "HelseID"],
        "data_location": "norway",
        "processor": "Omsorgsdata AS er databehandler. Drift i Norge.",
        "prerequisites": "Legevakten må ha tilgang til Kjernejournal og HelseID-pålogging.",
        "training": "Én time e-læring for leger og sykepleiere.",
        "onboarding_support": "Oppstartsmøte og brukerstøtte hele døgnet de første fire ukene.",
        "risks": [
            {
                "title": "Utdatert HLR-beslutning",
                "likelihood": 3,
                "consequence": 5,
                "mitigation": (
                    "Dato og ansvarlig lege vises alltid; varsel når beslutningen er eldre enn ett år."
                ),
            },
        ],
    },
    {
        "key": "omsorgsdata-tilsyn",
        "name": "Omsorgsdata Tilsyn",
        "vendor": "omsorgsdata",
        "short_description": "Mobil dokumentasjon og oppgaveliste for sykehjem og omsorgsboliger.",
        "description": (
            "Omsorgsdata Tilsyn gir pleiepersonalet oppgaveliste, rapport og dokumentasjon på mobilen "
            "ved sengen, slik at informasjon registreres bare én gang."
        ),
        "service_areas": ["sykehjem-og-omsorgsbolig", "eldreomsorg", "tannhelse-for-pleietrengende"],
        "answers_needs": ["tannhelse-hjemmetjenesten"],
        "price_model": "Per seng: 45 kr per måned.",
        "website": "https://omsorgsdata.example/tilsyn",
        "functions": (
            "Oppgaveliste per vakt, dokumentasjon av tiltak og observasjoner, tale-til-tekst, "
            "munnstellplan og rapport ved vaktskifte."
        ),
        "work_processes": ["Vaktskifte og rapport", "Stell og tilsyn", "Dokumentasjon av tiltak"],
        "professions": ["Sykepleier", "Helsefagarbeider", "Tannpleier"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "CarePlan": ["read", "search-type", "update"],
            "Task": ["read", "search-type", "update"],
            "Observation": ["read", "search-type", "create"],
        },
        "terminologies": ["SNOMED CT"],
        "national_solutions": ["HelseID"],
        "data_location": "norway",
        "processor": "Omsorgsdata AS er databehandler. Drift i Norge.",
        "prerequisites": "Trådløst nett i hele bygget og mobiltelefoner til ansatte.",
        "training": "To timers opplæring per ansatt og superbrukerkurs.",
        "onboarding_support": "Innføringsplan per avdeling og tett oppfølging de første fire ukene.",
        "risks": [
            {
                "title": "Tale-til-tekst gir feil i dokumentasjonen",
                "likelihood": 3,
                "consequence": 3,
                "mitigation": "Teksten må godkjennes av den ansatte før den lagres.",
            },
        ],
    },
    {
        "key": "helsevev-video",
        "name": "Helsevev Videomøte",
        "vendor": "helsevev",
        "short_description": "Sikre videomøter med innbygger og pårørende, uten installasjon.",
        "description": (
            "Helsevev Videomøte lar helsepersonell starte videomøter fra journalen. Innbygger og "
            "pårørende får invitasjon via Helsenorge eller SMS og deltar fra nettleseren."
        ),
        "service_areas": ["tjenestetildeling", "hjemmetjenester", "psykisk-helse-og-rus"],
        "answers_needs": ["videomote-innbygger-parorende"],
        "price_model": "Per helsepersonell-bruker: 60 kr per måned. Innbyggere og pårørende deltar gratis.",
        "website": "https://helsevev.example/video",
        "functions": (
            "Planlagte og spontane videomøter med inntil åtte deltakere, venterom, skjermdeling, "
            "tolk som egen deltaker og kort referat som lagres i journalen."
        ),
        "work_processes": ["Kartleggingssamtale", "Ansvarsgruppemøte", "Oppfølgingssamtale"],
        "professions": ["Saksbehandler", "Sykepleier", "Vernepleier", "Psykiatrisk sykepleier"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "RelatedPerson": ["read", "search-type"],
            "Appointment": ["read", "search-type", "create", "update"],
            "Encounter": ["create"],
            "DocumentReference": ["create"],
        },
        "terminologies": ["SNOMED CT"],
        "national_solutions": ["Helsenorge", "HelseID"],
        "data_location": "eea",
        "processor": (
            "Helsevev AS er databehandler. Videotrafikk går via underleverandør med datasentre i "
            "Sverige og Finland; ingen opptak lagres."
        ),
        "prerequisites": (
            "PC med kamera eller nettbrett, og at innbyggeren har e-postadresse, mobil eller Helsenorge."
        ),
        "training": "30 minutters nettkurs for helsepersonell og veiledning til innbyggere.",
        "onboarding_support": "Testmøter med innbyggere i oppstarten og brukerstøtte på chat.",
        "risks": [
            {
                "title": "Uvedkommende deltar i møtet",
                "likelihood": 2,
                "consequence": 4,
                "mitigation": "Venterom og identifisering av deltakere før møtet starter.",
            },
            {
                "title": "Dårlig nettdekning hos innbyggeren",
                "likelihood": 3,
                "consequence": 2,
                "mitigation": "Automatisk overgang til lyd og mulighet for å ringe inn.",
            },
        ],
    },
    {
        "key": "helsevev-innbygger",
        "name": "Helsevev Min side",
        "vendor": "helsevev",
        "short_description": "Innbyggeren følger egen søknad og svarer på «Hva er viktig for deg?».",
        "description": (
            "Helsevev Min side viser innbyggeren status for søknaden om helse- og omsorgstjenester på "
            "Helsenorge, lar innbyggeren svare på spørsmål før kartleggingsbesøket og fylle ut "
            "selvregistrering."
        ),
        "service_areas": ["tjenestetildeling", "hjemmetjenester", "seniorsentre"],
        "answers_needs": ["okt-innbyggerinvolvering", "selvregistrering", "seniorsenter-aktiviteter"],
        "price_model": "0,60 kr per innbygger per år.",
        "website": "https://helsevev.example/min-side",
        "functions": (
            "Statusvisning for søknader, selvregistrering med forhåndsutfylling, spørsmålet «Hva er "
            "viktig for deg?», fullmakt for pårørende og påmelding til aktiviteter."
        ),
        "work_processes": ["Søknad om tjenester", "Forberedelse til kartleggingsbesøk"],
        "professions": ["Saksbehandler", "Sykepleier"],
        "fhir": {
            "Patient": ["read"],
            "Questionnaire": ["read", "search-type"],
            "QuestionnaireResponse": ["create", "read"],
            "Task": ["read", "search-type"],
        },
        "terminologies": ["SNOMED CT"],
        "national_solutions": ["Helsenorge", "HelseID"],
        "data_location": "norway",
        "processor": "Helsevev AS er databehandler. Drift i Norge.",
        "prerequisites": "Integrasjon med kommunens saksbehandlingsløsning og avtale om bruk av Helsenorge.",
        "training": "Ingen opplæring for innbyggere; en time for saksbehandlere.",
        "onboarding_support": "Hjelp til å lage informasjon til innbyggerne og lanseringsplan.",
        "risks": [
            {
                "title": "Pårørende uten fullmakt får innsyn",
                "likelihood": 1,
                "consequence": 5,
                "mitigation": "Fullmakt håndteres via Helsenorge; ingen lokal fullmaktsregistrering.",
            },
        ],
    },
    {
        "key": "varselpluss-trygghet",
        "name": "VarselPluss Trygghet",
        "vendor": "varselpluss",
        "short_description": "Trygghetsalarm og hjelpemiddeloversikt i én løsning.",
        "description": (
            "VarselPluss Trygghet håndterer trygghetsalarmer og annen velferdsteknologi og gir "
            "oversikt over hvilke hjelpemidler og hvilket utstyr hver innbygger har."
        ),
        "service_areas": ["nedsatt-funksjonsevne", "hjemmetjenester", "eldreomsorg"],
        "answers_needs": ["hjelpemidler-oversikt"],
        "price_model": "Per innbygger med utstyr: 120 kr per måned, inkludert responssenter.",
        "website": "https://varselpluss.example/trygghet",
        "functions": (
            "Mottak av alarmer, oversikt over utplassert utstyr med service- og returdatoer, "
            "hjelpemiddellager og rapport til hjemmetjenesten."
        ),
        "work_processes": ["Utlån av hjelpemidler", "Alarmhåndtering", "Service og retur"],
        "professions": ["Ergoterapeut", "Hjelpemiddeltekniker", "Sykepleier"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "Device": ["read", "search-type", "create", "update"],
            "DeviceRequest": ["read", "search-type", "create"],
            "Location": ["read"],
        },
        "terminologies": ["SNOMED CT"],
        "national_solutions": ["HelseID", "Adresseregisteret"],
        "data_location": "norway",
        "processor": "VarselPluss AS er databehandler. Responssenter og drift i Norge.",
        "prerequisites": "Avtale om responssenter og oppdatert register over utplassert utstyr.",
        "training": "Halvdags kurs for hjelpemiddeltjenesten.",
        "onboarding_support": "Leverandøren importerer eksisterende utstyrsregister.",
        "risks": [
            {
                "title": "Alarm når ikke fram",
                "likelihood": 2,
                "consequence": 5,
                "mitigation": "Daglig automatisk test av alle alarmer og varsel ved manglende kontakt.",
            },
        ],
    },
    {
        "key": "kartleggeren-fysio",
        "name": "Kartleggeren Fysio",
        "vendor": "kartleggeren",
        "short_description": "Felles henvisningsmottak og venteliste for fysioterapi i kommunen.",
        "description": (
            "Kartleggeren Fysio samler henvisninger til kommunale fysioterapeuter og fysioterapeuter "
            "med driftsavtale i én venteliste, med prioritering etter omforente kriterier."
        ),
        "service_areas": ["fysioterapi-i-kommunen", "fysioterapi-driftsavtale", "rehabilitering"],
        "answers_needs": ["fysioterapi-henvisning"],
        "price_model": "Per fysioterapeut: 150 kr per måned.",
        "website": "https://kartleggeren.example/fysio",
        "functions": (
            "Elektronisk henvisningsmottak, prioritering, fordeling til ledig kapasitet, beskjed til "
            "pasienten om forventet ventetid og rapport om ventetid."
        ),
        "work_processes": ["Henvisningsmottak", "Prioritering", "Timetildeling"],
        "professions": ["Fysioterapeut", "Fastlege", "Koordinator"],
        "fhir": {
            "Patient": ["read", "search-type"],
            "ServiceRequest": ["read", "search-type", "create", "update"],
            "Appointment": ["read", "search-type", "create"],
            "Schedule": ["read", "search-type"],
            "Slot": ["read", "search-type"],
        },
        "terminologies": ["ICPC-2", "NCMP"],
        "national_solutions": ["HelseID", "Helsenorge"],
        "data_location": "eea",
        "processor": "Kartleggeren AS er databehandler. Drift hos underleverandør med datasenter i Danmark.",
        "prerequisites": "Fysioterapeutene må kunne motta meldinger via helsenettet.",
        "training": "Én times kurs for fysioterapeuter og koordinator.",
        "onboarding_support": "Hjelp til å flytte eksisterende ventelister.",
        "risks": [
            {
                "title": "Feil prioritering av hastesaker",
                "likelihood": 2,
                "consequence": 4,
                "mitigation": (
                    "Henviser kan merke saken som haster; slike saker vurderes manuelt innen to dager."
                ),
            },
        ],
    },
]


# ---------------------------------------------------------------------------------------------------
# Experiences (Erfaringsarena). The organisation is expected to have an active adoption of the product.
# ---------------------------------------------------------------------------------------------------

EXPERIENCES = [
    {
        "product": "kartleggeren-kognitiv",
        "organisation": "ringsaker",
        "title": "Felles kartlegging ga likere vurderinger i hjemmetjenesten",
        "what_worked": (
            "Etter at vi ble med i arbeidet i Innlandet, kartlegger alle soner etter de samme "
            "kriteriene. Saksbehandlerne får resultatet samme dag, og vi slipper å skrive av "
            "papirskjemaer i journalen."
        ),
        "what_did_not": (
            "Frakoblet modus fungerte dårlig i starten i områder uten dekning, og noen ansatte "
            "syntes skjemaet var for langt for korte revurderinger."
        ),
        "advice": (
            "Bruk tid på å bli enige om kartleggingskriteriene før dere tar løsningen i bruk, og la "
            "superbrukerne kalibrere vurderingene sammen etter en måned."
        ),
        "effort": "Ca. 150 timer: prosjektleder i 20 % stilling, fire superbrukere og IKT-avdelingen.",
        "timeline": "Fire måneder fra avtale til alle soner i hjemmetjenesten var i gang.",
        "rating": 5,
    },
    {
        "product": "kartleggeren-kognitiv",
        "organisation": "bodo",
        "title": "Nyttig, men krevende integrasjon mot EPJ",
        "what_worked": (
            "Kartleggingen er lik på tvers av tildelingskontoret og hjemmetjenesten, og tidligere "
            "kartlegginger er enkle å finne når vi revurderer vedtak."
        ),
        "what_did_not": (
            "Overføringen til EPJ krevde en oppdatering hos journalleverandøren som tok lengre tid "
            "enn planlagt. I seks uker måtte resultatene legges inn manuelt."
        ),
        "advice": "Avklar FHIR-grensesnittet med journalleverandøren før dere signerer avtalen.",
        "effort": "Ca. 200 timer, hvorav halvparten gikk til integrasjon og testing.",
        "timeline": "Seks måneder fra avtale til full drift.",
        "rating": 4,
    },
    {
        "product": "varselpluss-news2",
        "organisation": "stavanger",
        "title": "NEWS2 gir felles språk mellom sykehjem og legevakt",
        "what_worked": (
            "Sykepleierne melder fra tidligere, og legevakten ser målingene før de ringer tilbake. "
            "Vi ser færre akutte innleggelser om natten på de to avdelingene i utprøvingen."
        ),
        "what_did_not": (
            "De første ukene kom det for mange varsler fordi terskelen var satt for lavt. Noen "
            "blodtrykksmålere var ikke kompatible og måtte byttes."
        ),
        "advice": (
            "Start med én avdeling, juster varslingen etter to uker og ha klar en prosedyre for hva "
            "som skal skje ved hver skår før dere starter."
        ),
        "effort": "Ca. 300 timer inkludert opplæring av 80 ansatte.",
        "timeline": "Tre måneder forberedelser og innsikt, deretter åtte måneder utprøving.",
        "rating": 5,
    },
    {
        "product": "varselpluss-news2",
        "organisation": "bergen",
        "title": "God faglig effekt, men opplæringen må tas på alvor",
        "what_worked": (
            "Målingene registreres strukturert, og trendvisningen hjelper sykehjemslegen i visitten."
        ),
        "what_did_not": (
            "Med høy andel vikarer var det vanskelig å sikre at alle kunne løsningen. Uten opplæring "
            "ble målinger fortsatt skrevet på papir."
        ),
        "advice": "Ta NEWS2-opplæringen inn i introduksjonsprogrammet for nyansatte og vikarer.",
        "effort": "Ca. 250 timer fordelt på tre sykehjem.",
        "timeline": "Fem måneder fra oppstart til alle tre sykehjemmene var i gang.",
        "rating": 4,
    },
    {
        "product": "tildel-tjenesteoversikt",
        "organisation": "baerum",
        "title": "Legevakten ser endelig hvilke tjenester pasienten har",
        "what_worked": (
            "Legevaktlegene slipper å ringe hjemmetjenesten for å finne ut om pasienten har "
            "hjemmesykepleie eller trygghetsalarm. Fastlegene bruker oversikten før utskrivning."
        ),
        "what_did_not": (
            "Vedtak fattet før oppstart måtte publiseres i en egen jobb, og noen gamle vedtak manglet "
            "kontaktinformasjon til tjenesten."
        ),
        "advice": "Rydd i gamle vedtak og kontaktinformasjon før dere publiserer.",
        "effort": "Ca. 120 timer i kommunen, i tillegg til felles arbeid med KS og Norsk helsenett.",
        "timeline": "Åtte måneder utvikling og utprøving, én måned evaluering.",
        "rating": 4,
    },
    {
        "product": "tildel-vedtak",
        "organisation": "vinje",
        "title": "Raskere vedtak om trygghetsalarm i en liten kommune",
        "what_worked": (
            "Saksbehandlingstiden for trygghetsalarm gikk ned fra tre uker til to dager. Reglene ble "
            "enkle å forklare for innbyggerne fordi de vises i vedtaket."
        ),
        "what_did_not": (
            "Vi har få saker, så regeloppsettet føltes omfattende i forhold til gevinsten. Det hjalp "
            "å gjenbruke reglene fra Innlandet."
        ),
        "advice": "Små kommuner bør gjenbruke regelsett fra andre kommuner i stedet for å lage egne.",
        "effort": "Ca. 40 timer.",
        "timeline": "To måneder.",
        "rating": 4,
    },
    {
        "product": "helsevev-video",
        "organisation": "drammen",
        "title": "Pårørende deltar oftere i ansvarsgruppemøter",
        "what_worked": (
            "Pårørende som bor i andre deler av landet, deltar nå fast. Vi har færre utsatte møter, "
            "og referatet havner i journalen."
        ),
        "what_did_not": (
            "Eldre innbyggere trengte hjelp til å koble seg på første gang, og tolketjenesten måtte "
            "få egen opplæring."
        ),
        "advice": "Gjør et testmøte med innbyggeren før det første viktige møtet.",
        "effort": "Ca. 60 timer.",
        "timeline": "Seks uker fra avtale til bruk i alle soner.",
        "rating": 4,
    },
    {
        "product": "omsorgsdata-legemiddel",
        "organisation": "kristiansand",
        "title": "Færre legemiddelavvik, men krevende oppstart",
        "what_worked": (
            "Antall meldte avvik om glemte doser ble halvert på et halvt år. Endringer fra fastlegen "
            "er synlige for hjemmetjenesten samme dag."
        ),
        "what_did_not": (
            "Strekkodeskanning av multidoseposer feilet med enkelte telefonmodeller, og frakoblet "
            "modus måtte justeres for områder med dårlig dekning."
        ),
        "advice": "Test skanning og nettdekning i alle soner før innføring, og involver apoteket tidlig.",
        "effort": "Ca. 400 timer, inkludert opplæring av 250 ansatte.",
        "timeline": "Ni måneder med trinnvis innføring sone for sone.",
        "rating": 3,
    },
    {
        "product": "omsorgsdata-kritisk-info",
        "organisation": "hammerfest",
        "title": "HLR-status er synlig for legevakten",
        "what_worked": (
            "Beslutninger om HLR minus fra sykehjemmene vises tydelig når legevakten åpner pasienten, "
            "med dato og ansvarlig lege."
        ),
        "what_did_not": (
            "Mange eldre beslutninger måtte gjennomgås og registreres på nytt av sykehjemslegene."
        ),
        "advice": "Sett av tid til å gjennomgå eksisterende beslutninger sammen med sykehjemslegene.",
        "effort": "Ca. 80 timer.",
        "timeline": "Tre måneder.",
        "rating": 5,
    },
]


# ---------------------------------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------------------------------

ORGANISATION_KINDS = {"municipality", "county", "vendor", "national", "interest", "operator"}
NEED_STAGES = {"idea", "prioritisation", "evaluation_criteria", "published", "archived"}
FHIR_INTERACTIONS = {
    "read",
    "vread",
    "update",
    "patch",
    "delete",
    "history-instance",
    "history-type",
    "create",
    "search-type",
}
FHIR_RESOURCE_TYPES_USED = {
    "AllergyIntolerance",
    "Appointment",
    "CarePlan",
    "Consent",
    "Device",
    "DeviceRequest",
    "DocumentReference",
    "Encounter",
    "EpisodeOfCare",
    "Flag",
    "HealthcareService",
    "Location",
    "MedicationAdministration",
    "MedicationRequest",
    "MedicationStatement",
    "Observation",
    "Organization",
    "Patient",
    "Practitioner",
    "PractitionerRole",
    "Questionnaire",
    "QuestionnaireResponse",
    "RelatedPerson",
    "RiskAssessment",
    "Schedule",
    "ServiceRequest",
    "Slot",
    "Task",
}
TERMINOLOGIES = {"SNOMED CT", "ICPC-2", "ICD-10", "LOINC", "NCMP", "Kodeverk for helsepersonell"}
NATIONAL_SOLUTIONS = {
    "Kjernejournal",
    "e-resept",
    "PLL",
    "Helsenorge",
    "HelseID",
    "VKP",
    "Dokumentdeling",
    "Pasientens prøvesvar",
    "Adresseregisteret",
}


def check_consistency() -> list[str]:
    """Return a list of problems in the data above (empty when everything is consistent)."""
    problems = []
    category_slugs = {c["slug"] for c in CATEGORIES}
    area_slugs = {a["slug"] for a in SERVICE_AREAS}
    orgs = {o["key"]: o for o in ORGANISATIONS}
    need_keys = {n["key"] for n in NEEDS}
    product_keys = {p["key"] for p in PRODUCTS}

    for name, items, field in [
        ("category", CATEGORIES, "slug"),
        ("service area", SERVICE_AREAS, "slug"),
        ("organisation", ORGANISATIONS, "key"),
        ("organisation number", ORGANISATIONS, "org_number"),
        ("person", PEOPLE, "email"),
        ("need", NEEDS, "key"),
        ("product", PRODUCTS, "key"),
    ]:
        values = [item[field] for item in items]
        if len(values) != len(set(values)):
            problems.append(f"duplicate {name} {field}")

    for area in SERVICE_AREAS:
        if area["category"] not in category_slugs:
            problems.append(f"service area {area['slug']}: unknown category")
    for org in ORGANISATIONS:
        if not mod11_ok(org["org_number"]):
            problems.append(f"organisation {org['key']}: invalid org_number {org['org_number']}")
        if org["kind"] not in ORGANISATION_KINDS:
            problems.append(f"organisation {org['key']}: unknown kind")
        if (org["kind"] == "municipality") != bool(org["municipality_number"]):
            problems.append(f"organisation {org['key']}: municipality_number mismatch")
    for person in PEOPLE:
        if not person["email"].endswith(".example"):
            problems.append(f"person {person['email']}: not an .example address")
        for org_key, role in person["memberships"]:
            if org_key not in orgs or role not in {"admin", "member"}:
                problems.append(f"person {person['email']}: bad membership {org_key}/{role}")
    for org in ORGANISATIONS:
        if not any((org["key"], "admin") in p["memberships"] for p in PEOPLE):
            problems.append(f"organisation {org['key']}: no admin")
    for terms in TERMS:
        if terms["audience"] not in {"all", "vendors"}:
            problems.append(f"terms {terms['version']}: unknown audience")
    for need in NEEDS:
        if need["owner"] not in orgs or any(c not in orgs for c in need["collaborators"]):
            problems.append(f"need {need['key']}: unknown organisation")
        if any(a not in area_slugs for a in need["service_areas"]):
            problems.append(f"need {need['key']}: unknown service area")
        if need["stage"] not in NEED_STAGES:
            problems.append(f"need {need['key']}: unknown stage")
        criteria = need["evaluation_criteria"]
        if criteria and sum(weight for _, weight in criteria) != 100:
            problems.append(f"need {need['key']}: criteria weights do not sum to 100")
        if need["stage"] in {"evaluation_criteria", "published"} and not criteria:
            problems.append(f"need {need['key']}: stage needs evaluation criteria")
    for product in PRODUCTS:
        key = product["key"]
        if orgs.get(product["vendor"], {}).get("kind") != "vendor":
            problems.append(f"product {key}: vendor is not a vendor organisation")
        if any(a not in area_slugs for a in product["service_areas"]):
            problems.append(f"product {key}: unknown service area")
        if any(n not in need_keys for n in product["answers_needs"]):
            problems.append(f"product {key}: unknown need")
        for resource, interactions in product["fhir"].items():
            if resource not in FHIR_RESOURCE_TYPES_USED or not set(interactions) <= FHIR_INTERACTIONS:
                problems.append(f"product {key}: bad FHIR declaration for {resource}")
        if not set(product["terminologies"]) <= TERMINOLOGIES:
            problems.append(f"product {key}: unknown terminology")
        if not set(product["national_solutions"]) <= NATIONAL_SOLUTIONS:
            problems.append(f"product {key}: unknown national solution")
        if product["data_location"] not in {"norway", "eea", "other"}:
            problems.append(f"product {key}: unknown data location")
        for risk in product["risks"]:
            if not (1 <= risk["likelihood"] <= 5 and 1 <= risk["consequence"] <= 5):
                problems.append(f"product {key}: risk score out of range")
    for experience in EXPERIENCES:
        if experience["product"] not in product_keys or experience["organisation"] not in orgs:
            problems.append(f"experience {experience['title']}: unknown product or organisation")
        if not 1 <= experience["rating"] <= 5:
            problems.append(f"experience {experience['title']}: rating out of range")
    return problems


if __name__ == "__main__":
    for org in ORGANISATIONS:
        assert mod11_ok(org["org_number"]), f"{org['key']}: {org['org_number']} fails MOD11"
    assert not mod11_ok("971032147") and not mod11_ok("12345678") and not mod11_ok("97103214a")
    found = check_consistency()
    assert not found, "\n".join(found)
    print(
        f"OK: {len(ORGANISATIONS)} organisation numbers pass MOD11; {len(CATEGORIES)} categories, "
        f"{len(SERVICE_AREAS)} service areas, {len(PEOPLE)} people, {len(TERMS)} terms, "
        f"{len(NEEDS)} needs, {len(PRODUCTS)} products, {len(EXPERIENCES)} experiences."
    )
