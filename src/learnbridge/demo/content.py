"""Static demo content for the Northwind Logistics demo organisation.

Pure data: departments, sites, skill frameworks, job profiles, catalogue items and
name pools used by the demo-organisation generator. Nothing here touches the database.
"""

from typing import Any

# (department name, [team names])
DEPARTMENTS: list[tuple[str, list[str]]] = [
    (
        "Operations",
        [
            "Warehouse North",
            "Warehouse South",
            "Transport Planning",
            "Fleet Maintenance",
            "Customs & Trade",
        ],
    ),
    (
        "Sales",
        [
            "Key Accounts",
            "New Business",
            "Customer Service",
            "Sales Operations",
        ],
    ),
    (
        "People & Learning",
        [
            "HR Business Partners",
            "Learning & Development",
            "Talent Acquisition",
            "Reward & HR Operations",
        ],
    ),
    (
        "Finance & Compliance",
        [
            "Financial Control",
            "Internal Audit",
            "Procurement",
            "Legal & Compliance",
        ],
    ),
    (
        "Technology",
        [
            "Platform Engineering",
            "Data & Analytics",
            "IT Service Desk",
            "Information Security",
        ],
    ),
]

LOCATIONS: list[str] = [
    "Rotterdam",
    "Leeds",
    "Hamburg",
    "Antwerp",
    "Lyon",
]

# Skill frameworks. ``levels`` are proficiency level names from lowest (1) to highest.
FRAMEWORKS: list[dict[str, Any]] = [
    {
        "idnumber": "NW-LDR",
        "name": "Leadership & Management",
        "description": (
            "Behaviours and practices expected of anyone who leads people, projects"
            " or change at Northwind Logistics, from first-line team leaders to "
            "senior managers."
        ),
        "levels": [
            "Awareness",
            "Working",
            "Practitioner",
            "Expert",
        ],
        "skills": [
            {
                "idnumber": "LDR-COACH",
                "name": "Coaching",
                "description": (
                    "Uses questioning and active listening to help others find their own "
                    "solutions and grow their capability."
                ),
            },
            {
                "idnumber": "LDR-FEEDBACK",
                "name": "Giving and Receiving Feedback",
                "description": (
                    "Gives specific, timely and balanced feedback, and seeks and acts on "
                    "feedback from others."
                ),
            },
            {
                "idnumber": "LDR-DELEG",
                "name": "Delegation",
                "description": (
                    "Hands over work with clear outcomes, authority and support, matched to"
                    " the person's readiness."
                ),
            },
            {
                "idnumber": "LDR-PERF",
                "name": "Performance Management",
                "description": (
                    "Sets clear objectives, reviews progress regularly and addresses under-"
                    "performance fairly and early."
                ),
            },
            {
                "idnumber": "LDR-CHANGE",
                "name": "Leading Change",
                "description": (
                    "Explains the case for change, involves the team and sustains new ways of working."
                ),
            },
            {
                "idnumber": "LDR-COMMS",
                "name": "Team Communication",
                "description": (
                    "Keeps the team informed through briefings, huddles and one-to-ones, "
                    "adapting the message to the audience."
                ),
            },
            {
                "idnumber": "LDR-DECIDE",
                "name": "Decision Making",
                "description": (
                    "Makes sound, timely decisions using available evidence and is "
                    "transparent about trade-offs."
                ),
            },
            {
                "idnumber": "LDR-PLAN",
                "name": "Workforce Planning",
                "description": (
                    "Plans shifts, rotas and capacity to meet demand while respecting "
                    "working-time rules and wellbeing."
                ),
            },
            {
                "idnumber": "LDR-WELL",
                "name": "Wellbeing & Psychological Safety",
                "description": (
                    "Creates a team climate where people can speak up, and recognises and "
                    "responds to signs of stress."
                ),
            },
            {
                "idnumber": "LDR-INCL",
                "name": "Inclusive Leadership",
                "description": (
                    "Ensures fair treatment and opportunity, and actively draws on "
                    "different perspectives in the team."
                ),
            },
            {
                "idnumber": "LDR-CONFLICT",
                "name": "Conflict Resolution",
                "description": (
                    "Addresses disagreements early and constructively, mediating between people where needed."
                ),
            },
            {
                "idnumber": "LDR-RECRUIT",
                "name": "Recruitment & Interviewing",
                "description": (
                    "Runs structured, fair selection processes and onboards new starters effectively."
                ),
            },
            {
                "idnumber": "LDR-STRAT",
                "name": "Strategic Thinking",
                "description": (
                    "Connects day-to-day work to company strategy and anticipates market "
                    "and operational trends."
                ),
            },
            {
                "idnumber": "LDR-PROJ",
                "name": "Project Management",
                "description": (
                    "Scopes, plans and delivers projects on time and budget, managing risks and stakeholders."
                ),
            },
            {
                "idnumber": "LDR-FACIL",
                "name": "Facilitation",
                "description": (
                    "Designs and runs meetings and workshops that reach clear outcomes with"
                    " full participation."
                ),
            },
        ],
    },
    {
        "idnumber": "NW-DIG",
        "name": "Digital & Data",
        "description": (
            "Digital, data and technology skills, from everyday security awareness "
            "and collaboration tools to specialist engineering and analytics "
            "capability."
        ),
        "levels": [
            "Foundation",
            "Developing",
            "Proficient",
            "Advanced",
            "Expert",
        ],
        "skills": [
            {
                "idnumber": "DIG-SECAWARE",
                "name": "Information Security Awareness",
                "description": (
                    "Recognises phishing, social engineering and other threats, and follows"
                    " security policies in daily work."
                ),
            },
            {
                "idnumber": "DIG-DATAPROT",
                "name": "Data Protection & Privacy",
                "description": (
                    "Handles personal data lawfully under GDPR, applying minimisation, "
                    "retention and breach-reporting rules."
                ),
            },
            {
                "idnumber": "DIG-EXCEL",
                "name": "Spreadsheet Analysis",
                "description": (
                    "Builds reliable spreadsheets using formulas, lookups and pivot tables "
                    "to analyse operational data."
                ),
            },
            {
                "idnumber": "DIG-SQL",
                "name": "SQL & Querying",
                "description": (
                    "Writes SQL queries to extract, join and aggregate data from relational databases."
                ),
            },
            {
                "idnumber": "DIG-VIZ",
                "name": "Data Visualisation",
                "description": "Presents data in clear charts and dashboards that support decisions.",
            },
            {
                "idnumber": "DIG-PY",
                "name": "Python Programming",
                "description": (
                    "Writes readable, tested Python code for applications, automation and analysis."
                ),
            },
            {
                "idnumber": "DIG-CLOUD",
                "name": "Cloud Platforms",
                "description": (
                    "Deploys and operates services on public cloud infrastructure securely "
                    "and cost-effectively."
                ),
            },
            {
                "idnumber": "DIG-DEVOPS",
                "name": "CI/CD & DevOps",
                "description": (
                    "Automates build, test and deployment pipelines and uses version control effectively."
                ),
            },
            {
                "idnumber": "DIG-SECENG",
                "name": "Secure Development",
                "description": (
                    "Designs and writes software that resists common attacks and handles secrets safely."
                ),
            },
            {
                "idnumber": "DIG-AGILE",
                "name": "Agile Delivery",
                "description": (
                    "Works in iterative, customer-focused delivery teams using Scrum or Kanban practices."
                ),
            },
            {
                "idnumber": "DIG-TEST",
                "name": "Software Testing",
                "description": "Designs and automates tests at unit, integration and end-to-end level.",
            },
            {
                "idnumber": "DIG-ARCH",
                "name": "Systems Architecture",
                "description": "Designs scalable, resilient systems and documents architectural decisions.",
            },
            {
                "idnumber": "DIG-WMS",
                "name": "Warehouse Management Systems",
                "description": (
                    "Uses the warehouse management system to receive, locate, pick and "
                    "dispatch stock accurately."
                ),
            },
            {
                "idnumber": "DIG-AI",
                "name": "AI & Automation Literacy",
                "description": (
                    "Understands the capabilities and limits of AI tools and uses them responsibly at work."
                ),
            },
            {
                "idnumber": "DIG-COLLAB",
                "name": "Digital Collaboration Tools",
                "description": (
                    "Uses shared workspaces, chat and video tools to collaborate effectively across sites."
                ),
            },
        ],
    },
    {
        "idnumber": "NW-OPS",
        "name": "Operations & Safety",
        "description": (
            "Warehouse, transport and health & safety skills that keep Northwind "
            "sites safe, compliant and efficient."
        ),
        "levels": [
            "Awareness",
            "Trained",
            "Competent",
            "Expert",
        ],
        "skills": [
            {
                "idnumber": "OPS-FIRE",
                "name": "Fire Safety",
                "description": (
                    "Knows fire prevention measures, alarm procedures and evacuation routes for their site."
                ),
            },
            {
                "idnumber": "OPS-MANUAL",
                "name": "Manual Handling",
                "description": "Assesses loads and uses safe lifting, carrying and team-handling techniques.",
            },
            {
                "idnumber": "OPS-FORK",
                "name": "Forklift Operation",
                "description": (
                    "Operates counterbalance and reach trucks safely, including pre-use "
                    "checks and load handling."
                ),
            },
            {
                "idnumber": "OPS-HAZMAT",
                "name": "Dangerous Goods Handling",
                "description": (
                    "Identifies, segregates and handles dangerous goods in line with ADR and site rules."
                ),
            },
            {
                "idnumber": "OPS-RISK",
                "name": "Risk Assessment",
                "description": (
                    "Identifies hazards, evaluates risks and puts proportionate controls in place."
                ),
            },
            {
                "idnumber": "OPS-FIRSTAID",
                "name": "First Aid",
                "description": "Provides emergency first aid and records incidents correctly.",
            },
            {
                "idnumber": "OPS-INVENT",
                "name": "Inventory Control",
                "description": (
                    "Maintains stock accuracy through correct receiving, put-away and cycle counting."
                ),
            },
            {
                "idnumber": "OPS-PICK",
                "name": "Picking & Packing",
                "description": (
                    "Picks, packs and labels orders accurately and efficiently to customer specification."
                ),
            },
            {
                "idnumber": "OPS-LEAN",
                "name": "Lean & Continuous Improvement",
                "description": (
                    "Applies lean tools such as 5S, value-stream mapping and root-cause "
                    "analysis to improve processes."
                ),
            },
            {
                "idnumber": "OPS-FLEET",
                "name": "Fleet & Route Planning",
                "description": (
                    "Plans routes and loads to meet delivery windows while minimising cost and emissions."
                ),
            },
            {
                "idnumber": "OPS-CUSTOMS",
                "name": "Customs & Trade Compliance",
                "description": (
                    "Applies customs procedures, Incoterms and sanctions rules to cross-border shipments."
                ),
            },
            {
                "idnumber": "OPS-QUAL",
                "name": "Quality Management",
                "description": (
                    "Follows and improves quality procedures in line with ISO 9001 and customer requirements."
                ),
            },
            {
                "idnumber": "OPS-ENV",
                "name": "Environmental Sustainability",
                "description": "Reduces waste, energy use and emissions in daily operations.",
            },
            {
                "idnumber": "OPS-INCIDENT",
                "name": "Incident Reporting & Investigation",
                "description": (
                    "Reports incidents and near misses promptly and investigates them to prevent recurrence."
                ),
            },
            {
                "idnumber": "OPS-HSLAW",
                "name": "Health & Safety Responsibilities",
                "description": (
                    "Understands legal duties for health and safety and how they apply to their role."
                ),
            },
        ],
    },
    {
        "idnumber": "NW-COM",
        "name": "Commercial, Customer & Finance",
        "description": (
            "Skills for winning and keeping customers, managing money responsibly "
            "and upholding Northwind's standards of business conduct."
        ),
        "levels": [
            "Awareness",
            "Working",
            "Practitioner",
            "Expert",
        ],
        "skills": [
            {
                "idnumber": "COM-NEGOT",
                "name": "Negotiation",
                "description": (
                    "Prepares for and conducts negotiations that protect margin and build "
                    "long-term relationships."
                ),
            },
            {
                "idnumber": "COM-ACCMGMT",
                "name": "Account Management",
                "description": (
                    "Grows and retains key customer accounts through planning, reviews and proactive service."
                ),
            },
            {
                "idnumber": "COM-PROSPECT",
                "name": "Prospecting & Pipeline",
                "description": (
                    "Identifies and qualifies new opportunities and manages a healthy sales pipeline."
                ),
            },
            {
                "idnumber": "COM-PROPOSAL",
                "name": "Proposal & Bid Writing",
                "description": "Writes clear, compliant and persuasive proposals and tender responses.",
            },
            {
                "idnumber": "COM-CUSTSVC",
                "name": "Customer Service",
                "description": (
                    "Resolves customer queries quickly and courteously, first time where possible."
                ),
            },
            {
                "idnumber": "COM-COMPLAINT",
                "name": "Complaint Handling",
                "description": (
                    "Handles complaints calmly, investigates root causes and follows up to restore trust."
                ),
            },
            {
                "idnumber": "COM-CRM",
                "name": "CRM Use",
                "description": (
                    "Keeps customer, contact and opportunity records in the CRM accurate and up to date."
                ),
            },
            {
                "idnumber": "COM-PRICING",
                "name": "Pricing & Commercial Acumen",
                "description": "Builds prices from cost drivers and understands how deals affect margin.",
            },
            {
                "idnumber": "COM-CONTRACT",
                "name": "Contract Management",
                "description": (
                    "Manages contract terms, service levels and changes throughout the contract lifecycle."
                ),
            },
            {
                "idnumber": "COM-BUDGET",
                "name": "Budgeting & Forecasting",
                "description": "Prepares budgets and forecasts and manages spend against them.",
            },
            {
                "idnumber": "COM-FINREP",
                "name": "Financial Reporting",
                "description": "Reads and prepares management accounts and explains variances.",
            },
            {
                "idnumber": "COM-AUDIT",
                "name": "Internal Audit & Controls",
                "description": "Designs, tests and evaluates internal controls using a risk-based approach.",
            },
            {
                "idnumber": "COM-ETHICS",
                "name": "Business Ethics & Anti-Bribery",
                "description": (
                    "Acts with integrity, recognises bribery and conflict-of-interest risks and speaks up."
                ),
            },
            {
                "idnumber": "COM-PRESENT",
                "name": "Presenting & Influencing",
                "description": "Presents ideas clearly and persuasively to customers and colleagues.",
            },
            {
                "idnumber": "COM-PROCURE",
                "name": "Procurement & Supplier Management",
                "description": (
                    "Sources and manages suppliers in line with procurement policy and ethical standards."
                ),
            },
        ],
    },
]

# ``skills`` are (skill idnumber, required level) pairs; levels are 1-based.
JOB_PROFILES: list[dict[str, Any]] = [
    {
        "code": "warehouse-operative",
        "title": "Warehouse Operative",
        "description": (
            "Receives, stores, picks and dispatches goods accurately and safely in a Northwind warehouse."
        ),
        "department": "Operations",
        "is_manager": False,
        "skills": [("OPS-PICK", 2), ("OPS-MANUAL", 2), ("OPS-INVENT", 2), ("DIG-WMS", 2), ("OPS-FIRE", 1)],
    },
    {
        "code": "forklift-driver",
        "title": "Forklift Driver",
        "description": (
            "Operates counterbalance and reach trucks to load, unload and move stock around the site."
        ),
        "department": "Operations",
        "is_manager": False,
        "skills": [("OPS-FORK", 3), ("OPS-MANUAL", 2), ("OPS-RISK", 2), ("OPS-INCIDENT", 2), ("OPS-FIRE", 1)],
    },
    {
        "code": "operations-team-leader",
        "title": "Operations Team Leader",
        "description": (
            "Leads a shift team in the warehouse or transport office, responsible "
            "for safety, productivity and people."
        ),
        "department": "Operations",
        "is_manager": True,
        "skills": [
            ("LDR-COACH", 2),
            ("LDR-PERF", 2),
            ("LDR-PLAN", 3),
            ("OPS-RISK", 3),
            ("OPS-LEAN", 2),
            ("OPS-HSLAW", 3),
        ],
    },
    {
        "code": "account-executive",
        "title": "Account Executive",
        "description": (
            "Wins new logistics contracts and develops existing customers across "
            "the Benelux, UK and DACH markets."
        ),
        "department": "Sales",
        "is_manager": False,
        "skills": [
            ("COM-PROSPECT", 3),
            ("COM-NEGOT", 2),
            ("COM-ACCMGMT", 2),
            ("COM-CRM", 3),
            ("COM-PRESENT", 2),
        ],
    },
    {
        "code": "customer-service-advisor",
        "title": "Customer Service Advisor",
        "description": (
            "First point of contact for customer queries on orders, deliveries and "
            "claims, by phone, email and portal."
        ),
        "department": "Sales",
        "is_manager": False,
        "skills": [("COM-CUSTSVC", 3), ("COM-COMPLAINT", 2), ("COM-CRM", 2), ("DIG-DATAPROT", 1)],
    },
    {
        "code": "sales-team-manager",
        "title": "Sales Team Manager",
        "description": (
            "Leads a team of account executives or customer service advisors, "
            "owning targets, pipeline and service levels."
        ),
        "department": "Sales",
        "is_manager": True,
        "skills": [
            ("LDR-COACH", 3),
            ("LDR-PERF", 3),
            ("LDR-FEEDBACK", 3),
            ("COM-NEGOT", 3),
            ("COM-ACCMGMT", 3),
            ("COM-PRICING", 3),
        ],
    },
    {
        "code": "ld-specialist",
        "title": "L&D Specialist",
        "description": (
            "Designs, delivers and evaluates learning programmes and manages the learning catalogue."
        ),
        "department": "People & Learning",
        "is_manager": False,
        "skills": [("LDR-FACIL", 3), ("LDR-COACH", 2), ("LDR-CHANGE", 2), ("LDR-PROJ", 2), ("DIG-COLLAB", 3)],
    },
    {
        "code": "team-manager",
        "title": "Team Manager",
        "description": (
            "Line manager of a professional or support team, responsible for "
            "objectives, development and wellbeing."
        ),
        "department": "People & Learning",
        "is_manager": True,
        "skills": [
            ("LDR-COACH", 2),
            ("LDR-FEEDBACK", 2),
            ("LDR-DELEG", 2),
            ("LDR-PERF", 2),
            ("LDR-WELL", 2),
            ("LDR-RECRUIT", 2),
        ],
    },
    {
        "code": "internal-auditor",
        "title": "Internal Auditor",
        "description": (
            "Plans and performs risk-based audits of financial, operational and "
            "compliance controls across all sites."
        ),
        "department": "Finance & Compliance",
        "is_manager": False,
        "skills": [
            ("COM-AUDIT", 3),
            ("COM-ETHICS", 3),
            ("COM-FINREP", 2),
            ("OPS-QUAL", 2),
            ("DIG-DATAPROT", 2),
        ],
    },
    {
        "code": "finance-analyst",
        "title": "Finance Analyst",
        "description": (
            "Prepares management accounts, budgets and forecasts, and supports "
            "pricing and investment decisions."
        ),
        "department": "Finance & Compliance",
        "is_manager": False,
        "skills": [("COM-FINREP", 3), ("COM-BUDGET", 3), ("DIG-EXCEL", 4), ("COM-PRICING", 2)],
    },
    {
        "code": "software-engineer",
        "title": "Software Engineer",
        "description": "Builds and runs Northwind's customer portal, integrations and internal platforms.",
        "department": "Technology",
        "is_manager": False,
        "skills": [
            ("DIG-PY", 3),
            ("DIG-TEST", 3),
            ("DIG-DEVOPS", 3),
            ("DIG-SECENG", 3),
            ("DIG-CLOUD", 2),
            ("DIG-AGILE", 2),
        ],
    },
    {
        "code": "data-analyst",
        "title": "Data Analyst",
        "description": (
            "Turns operational and commercial data into reports, dashboards and insights for the business."
        ),
        "department": "Technology",
        "is_manager": False,
        "skills": [("DIG-SQL", 4), ("DIG-VIZ", 3), ("DIG-PY", 2), ("DIG-EXCEL", 3), ("DIG-DATAPROT", 2)],
    },
]

# Catalogue items: 55 courses, 35 eLearning modules, 25 resources and 5 pathways.
# Pathway ``steps`` reference other item titles, in order.
ITEMS: list[dict[str, Any]] = [
    {
        "title": "Coaching Conversations for Team Leaders",
        "kind": "course",
        "format": "workshop",
        "summary": (
            "A practical one-day workshop on using coaching conversations to "
            "develop your team. Includes live practice with feedback from an "
            "experienced coach."
        ),
        "objectives": [
            "Explain the difference between coaching, mentoring and instructing",
            "Use the GROW model to structure a coaching conversation",
            "Ask open, powerful questions that help others find their own solutions",
            "Practise active listening and summarising in a live coaching session",
            "Plan a coaching follow-up with a member of your team",
        ],
        "skills": [("LDR-COACH", 2), ("LDR-COMMS", 2)],
        "duration_minutes": 420,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Giving Feedback that Lands",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "A short, interactive virtual session on giving feedback that is "
            "specific, fair and actually changes behaviour."
        ),
        "objectives": [
            "Use the SBI (Situation-Behaviour-Impact) model to structure feedback",
            "Distinguish between reinforcing and redirecting feedback",
            "Prepare for a difficult feedback conversation",
            "Respond constructively when receiving feedback yourself",
        ],
        "skills": [("LDR-FEEDBACK", 2)],
        "duration_minutes": 180,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "First-Time Manager Programme",
        "kind": "course",
        "format": "blended",
        "summary": (
            "A three-month blended programme for newly promoted managers, combining"
            " workshops, peer learning groups and on-the-job assignments."
        ),
        "objectives": [
            "Describe the shift in responsibilities from individual contributor to manager",
            "Set SMART objectives with each team member",
            "Delegate tasks using a readiness-based approach",
            "Run effective one-to-one and team meetings",
            "Create a personal leadership development plan",
        ],
        "skills": [("LDR-PERF", 2), ("LDR-DELEG", 2), ("LDR-COMMS", 2)],
        "duration_minutes": 1440,
        "provider": "vendor",
        "vendor_name": "Kestrel Leadership Partners",
        "cost": 1450,
        "status": "published",
    },
    {
        "title": "Delegating with Confidence",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "Learn how to hand over work with clear outcomes and the right level of"
            " support, so you can focus on what only you can do."
        ),
        "objectives": [
            "Identify tasks that should be delegated",
            "Match the level of delegation to the person's skill and will",
            "Brief a delegated task with clear outcomes, authority and check-in points",
            "Avoid common delegation traps such as reverse delegation",
        ],
        "skills": [("LDR-DELEG", 2)],
        "duration_minutes": 150,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Managing Performance Fairly",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Covers the full performance cycle at Northwind, from objective setting"
            " to handling under-performance in line with HR policy."
        ),
        "objectives": [
            "Set clear, measurable objectives aligned to team goals",
            "Conduct a balanced mid-year and year-end review",
            "Recognise early signs of under-performance and address them promptly",
            "Apply the capability procedure fairly and consistently",
            "Document performance conversations accurately",
        ],
        "skills": [("LDR-PERF", 3)],
        "duration_minutes": 360,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Leading Through Change",
        "kind": "course",
        "format": "workshop",
        "summary": (
            "Explore how people experience change and how leaders can build "
            "commitment during restructures, system go-lives and site moves."
        ),
        "objectives": [
            "Explain the stages people typically go through during change",
            "Build a compelling case for change for your team",
            "Plan stakeholder communication for a change initiative",
            "Respond to resistance with empathy and clarity",
            "Sustain new ways of working after go-live",
        ],
        "skills": [("LDR-CHANGE", 3), ("LDR-COMMS", 3)],
        "duration_minutes": 420,
        "provider": "vendor",
        "vendor_name": "Kestrel Leadership Partners",
        "cost": 690,
        "status": "published",
    },
    {
        "title": "Inclusive Leadership in Practice",
        "kind": "course",
        "format": "workshop",
        "summary": (
            "A facilitated workshop on creating fair, inclusive teams across "
            "Northwind's multinational and multi-shift workforce."
        ),
        "objectives": [
            "Recognise how bias can affect recruitment, allocation of work and promotion decisions",
            "Apply inclusive meeting practices so all voices are heard",
            "Use inclusive language in everyday communication",
            "Plan one concrete action to improve inclusion in your team",
        ],
        "skills": [("LDR-INCL", 3)],
        "duration_minutes": 300,
        "provider": "vendor",
        "vendor_name": "Open Table Consulting",
        "cost": 540,
        "status": "published",
    },
    {
        "title": "Resolving Conflict in Teams",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "Practical tools for spotting and resolving conflict early, before it "
            "affects morale and performance."
        ),
        "objectives": [
            "Identify the common sources of conflict in shift-based teams",
            "Use a structured approach to facilitate a conversation between two colleagues",
            "Separate positions from underlying interests",
            "Agree and record a follow-up plan",
        ],
        "skills": [("LDR-CONFLICT", 2)],
        "duration_minutes": 180,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Competency-Based Interviewing",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Run structured, fair interviews that predict job performance and comply with employment law."
        ),
        "objectives": [
            "Design competency-based questions linked to the job profile",
            "Use the STAR technique to probe candidate answers",
            "Score candidates consistently using an agreed rating scale",
            "Avoid discriminatory questions and common interviewer biases",
        ],
        "skills": [("LDR-RECRUIT", 2)],
        "duration_minutes": 240,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Strategic Thinking for Senior Managers",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "A two-day programme for senior managers on translating company "
            "strategy into priorities, investments and trade-offs."
        ),
        "objectives": [
            "Analyse trends in the European logistics market using PESTLE",
            "Translate the Northwind strategy into departmental priorities",
            "Evaluate strategic options using clear decision criteria",
            "Communicate strategic priorities in a way that engages teams",
        ],
        "skills": [("LDR-STRAT", 3), ("LDR-DECIDE", 3)],
        "duration_minutes": 840,
        "provider": "vendor",
        "vendor_name": "Kestrel Leadership Partners",
        "cost": 1200,
        "status": "published",
    },
    {
        "title": "Project Management Fundamentals",
        "kind": "course",
        "format": "blended",
        "summary": (
            "Foundation-level project management covering scope, planning, risk and"
            " stakeholder management, with a practical case study."
        ),
        "objectives": [
            "Define project scope, objectives and success criteria",
            "Build a work breakdown structure and realistic schedule",
            "Maintain a risk and issue log",
            "Report project status clearly to sponsors",
            "Close a project and capture lessons learned",
        ],
        "skills": [("LDR-PROJ", 2)],
        "duration_minutes": 960,
        "provider": "vendor",
        "vendor_name": "Meridian Skills Academy",
        "cost": 890,
        "status": "published",
    },
    {
        "title": "Facilitating Effective Workshops",
        "kind": "course",
        "format": "workshop",
        "summary": (
            "Design and run workshops that keep people engaged and reach clear "
            "outcomes, in the room or online."
        ),
        "objectives": [
            "Design a workshop agenda around clear outcomes",
            "Use facilitation techniques to encourage participation",
            "Manage dominant or disengaged participants",
            "Capture and share actions after the session",
        ],
        "skills": [("LDR-FACIL", 3)],
        "duration_minutes": 360,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Workforce Planning for Shift Managers",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Plan rotas and capacity to match volume forecasts while staying within"
            " the Working Time Directive and site agreements."
        ),
        "objectives": [
            "Convert volume forecasts into labour-hour requirements",
            "Build a shift rota that balances cost, coverage and fairness",
            "Apply working-time and rest-break rules correctly",
            "Plan for peak season, holidays and absence",
        ],
        "skills": [("LDR-PLAN", 3)],
        "duration_minutes": 240,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Mental Health First Aider Training",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Accredited two-day course that qualifies you as a Mental Health First Aider for your site."
        ),
        "objectives": [
            "Recognise the signs and symptoms of common mental health conditions",
            "Start a supportive conversation with a colleague in distress",
            "Signpost colleagues to the Employee Assistance Programme and professional help",
            "Maintain your own wellbeing and boundaries as a first aider",
        ],
        "skills": [("LDR-WELL", 3)],
        "duration_minutes": 960,
        "provider": "vendor",
        "vendor_name": "Mindful Workplaces",
        "cost": 320,
        "status": "published",
    },
    {
        "title": "Python for Data Analysis",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "Hands-on introduction to analysing data with Python, pandas and "
            "Jupyter notebooks using real shipment data."
        ),
        "objectives": [
            "Load, clean and reshape data with pandas",
            "Aggregate and summarise data using group-by operations",
            "Create basic charts with matplotlib",
            "Automate a recurring report in a notebook",
        ],
        "skills": [("DIG-PY", 2), ("DIG-VIZ", 2)],
        "duration_minutes": 1200,
        "provider": "vendor",
        "vendor_name": "DataForge Training",
        "cost": 780,
        "status": "published",
    },
    {
        "title": "SQL Fundamentals",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "Learn to query relational databases with SQL, from simple selects to joins and aggregations."
        ),
        "objectives": [
            "Write SELECT queries with filtering and sorting",
            "Join tables using inner and outer joins",
            "Aggregate data with GROUP BY and HAVING",
            "Explain how indexes affect query performance",
        ],
        "skills": [("DIG-SQL", 2)],
        "duration_minutes": 840,
        "provider": "vendor",
        "vendor_name": "DataForge Training",
        "cost": 560,
        "status": "published",
    },
    {
        "title": "Advanced SQL for Analysts",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "Take your SQL further with window functions, CTEs and query tuning on "
            "large operational datasets."
        ),
        "objectives": [
            "Use common table expressions to structure complex queries",
            "Apply window functions for running totals and rankings",
            "Read a query plan and identify bottlenecks",
            "Build reusable views for reporting",
        ],
        "skills": [("DIG-SQL", 4)],
        "duration_minutes": 720,
        "provider": "vendor",
        "vendor_name": "DataForge Training",
        "cost": 640,
        "status": "draft",
    },
    {
        "title": "Dashboard Design with Power BI",
        "kind": "course",
        "format": "classroom",
        "summary": "Build clear, interactive dashboards in Power BI that managers actually use.",
        "objectives": [
            "Connect Power BI to the data warehouse and model the data",
            "Choose the right visual for each type of question",
            "Write basic DAX measures",
            "Design a dashboard layout that highlights what matters",
            "Publish and share a report securely",
        ],
        "skills": [("DIG-VIZ", 3)],
        "duration_minutes": 840,
        "provider": "vendor",
        "vendor_name": "DataForge Training",
        "cost": 690,
        "status": "published",
    },
    {
        "title": "Excel for Operations Reporting",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "Practical Excel techniques for warehouse and transport KPIs, taught by"
            " the operations reporting team."
        ),
        "objectives": [
            "Use XLOOKUP and SUMIFS to combine operational data",
            "Build a pivot table summarising daily throughput",
            "Apply conditional formatting to highlight exceptions",
            "Protect and share a reporting workbook",
        ],
        "skills": [("DIG-EXCEL", 2)],
        "duration_minutes": 240,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Secure Coding Practices",
        "kind": "course",
        "format": "workshop",
        "summary": (
            "A hands-on workshop where developers find and fix real vulnerabilities"
            " in a sample logistics application."
        ),
        "objectives": [
            "Identify injection, authentication and access-control flaws in code",
            "Apply input validation and output encoding correctly",
            "Manage secrets and credentials safely",
            "Use static analysis tools in the development workflow",
        ],
        "skills": [("DIG-SECENG", 3)],
        "duration_minutes": 840,
        "provider": "vendor",
        "vendor_name": "CodeCraft Academy",
        "cost": 950,
        "status": "published",
    },
    {
        "title": "Cloud Foundations on AWS",
        "kind": "course",
        "format": "virtual",
        "summary": "Three-day introduction to core AWS services for engineers joining the platform team.",
        "objectives": [
            "Explain the shared responsibility model",
            "Deploy a service using EC2, S3 and RDS",
            "Configure IAM roles following least privilege",
            "Monitor cost and usage of cloud resources",
        ],
        "skills": [("DIG-CLOUD", 2)],
        "duration_minutes": 1440,
        "provider": "vendor",
        "vendor_name": "CodeCraft Academy",
        "cost": 1100,
        "status": "published",
    },
    {
        "title": "CI/CD Pipelines in Practice",
        "kind": "course",
        "format": "workshop",
        "summary": "Build a complete pipeline from commit to production using Northwind's standard tooling.",
        "objectives": [
            "Configure automated build and test stages",
            "Add security and quality gates to a pipeline",
            "Deploy safely using blue-green or canary releases",
            "Roll back a failed deployment",
        ],
        "skills": [("DIG-DEVOPS", 3)],
        "duration_minutes": 480,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Test Automation with Pytest",
        "kind": "course",
        "format": "workshop",
        "summary": "Write fast, reliable automated tests for Python services using pytest and fixtures.",
        "objectives": [
            "Write unit tests with pytest and clear assertions",
            "Use fixtures and parametrisation to reduce duplication",
            "Mock external services in integration tests",
            "Measure and interpret test coverage",
        ],
        "skills": [("DIG-TEST", 3), ("DIG-PY", 3)],
        "duration_minutes": 420,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Scrum Team Essentials",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "An introduction to Scrum roles, events and artefacts for members of product delivery teams."
        ),
        "objectives": [
            "Describe the Scrum roles, events and artefacts",
            "Write user stories with clear acceptance criteria",
            "Estimate work using relative sizing",
            "Contribute effectively to a sprint retrospective",
        ],
        "skills": [("DIG-AGILE", 2)],
        "duration_minutes": 480,
        "provider": "vendor",
        "vendor_name": "Meridian Skills Academy",
        "cost": 450,
        "status": "published",
    },
    {
        "title": "Designing Resilient Systems",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Architecture patterns for building systems that keep running when "
            "components fail, illustrated with Northwind's tracking platform."
        ),
        "objectives": [
            "Identify single points of failure in a system design",
            "Apply patterns such as retries, circuit breakers and queues",
            "Design for graceful degradation",
            "Document trade-offs in an architecture decision record",
        ],
        "skills": [("DIG-ARCH", 4)],
        "duration_minutes": 720,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "draft",
    },
    {
        "title": "WMS Super-User Training",
        "kind": "course",
        "format": "on_the_job",
        "summary": (
            "On-the-job training for nominated super-users who support colleagues "
            "and handle exceptions in the warehouse management system."
        ),
        "objectives": [
            "Configure location and product master data",
            "Resolve common stock and order exceptions",
            "Run and interpret standard WMS reports",
            "Coach colleagues on correct WMS transactions",
        ],
        "skills": [("DIG-WMS", 3)],
        "duration_minutes": 480,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Generative AI at Work",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "A practical session on using approved generative AI tools productively"
            " and safely in everyday tasks."
        ),
        "objectives": [
            "Explain what large language models can and cannot do",
            "Write effective prompts for drafting and summarising",
            "Check AI output for accuracy and bias",
            "Apply Northwind's acceptable use rules for AI tools",
        ],
        "skills": [("DIG-AI", 2)],
        "duration_minutes": 120,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "draft",
    },
    {
        "title": "Forklift Operator Certification",
        "kind": "course",
        "format": "on_the_job",
        "summary": (
            "Accredited novice training for counterbalance and reach trucks, with "
            "practical assessment on site. Required before operating any lift "
            "truck."
        ),
        "objectives": [
            "Carry out a pre-use inspection of a forklift truck",
            "Operate a counterbalance truck safely in confined spaces",
            "Stack and de-stack loads at height within rated capacity",
            "Explain stability principles and the load capacity plate",
            "Pass the practical and theory assessment",
        ],
        "skills": [("OPS-FORK", 3), ("OPS-RISK", 1)],
        "duration_minutes": 1920,
        "provider": "vendor",
        "vendor_name": "Liftwise Certification",
        "cost": 650,
        "status": "published",
    },
    {
        "title": "Forklift Refresher Assessment",
        "kind": "course",
        "format": "on_the_job",
        "summary": "Mandatory three-yearly refresher and re-assessment for certified forklift operators.",
        "objectives": [
            "Demonstrate safe operation to the current standard",
            "Identify and correct bad habits developed since certification",
            "Explain recent changes to site traffic management rules",
        ],
        "skills": [("OPS-FORK", 3)],
        "duration_minutes": 360,
        "provider": "vendor",
        "vendor_name": "Liftwise Certification",
        "cost": 220,
        "status": "published",
    },
    {
        "title": "Manual Handling",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Practical session on safe lifting and handling techniques for warehouse, fleet and office staff."
        ),
        "objectives": [
            "Explain the main causes of musculoskeletal injuries at work",
            "Assess a load using the TILE approach",
            "Use correct posture and technique to lift, carry and set down loads",
            "Select suitable handling aids such as pallet trucks and trolleys",
        ],
        "skills": [("OPS-MANUAL", 2)],
        "duration_minutes": 180,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Fire Warden Training",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Prepares nominated fire wardens to carry out their duties during drills and real evacuations."
        ),
        "objectives": [
            "Describe the duties of a fire warden before, during and after an evacuation",
            "Select and use the correct fire extinguisher for a small fire",
            "Sweep an assigned area and report to the assembly point",
            "Carry out a routine fire safety check of your area",
        ],
        "skills": [("OPS-FIRE", 3)],
        "duration_minutes": 240,
        "provider": "vendor",
        "vendor_name": "SafeWorks Training",
        "cost": 180,
        "status": "published",
    },
    {
        "title": "Emergency First Aid at Work",
        "kind": "course",
        "format": "classroom",
        "summary": "Accredited one-day course qualifying you as an emergency first aider for your site.",
        "objectives": [
            "Assess an incident scene and manage it safely",
            "Perform CPR and use an AED",
            "Treat bleeding, burns and shock",
            "Place a casualty in the recovery position",
            "Record first aid treatment in the accident book",
        ],
        "skills": [("OPS-FIRSTAID", 3)],
        "duration_minutes": 420,
        "provider": "vendor",
        "vendor_name": "SafeWorks Training",
        "cost": 240,
        "status": "published",
    },
    {
        "title": "Dangerous Goods by Road (ADR) Awareness",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "ADR awareness training for staff involved in handling, loading or "
            "documenting dangerous goods shipments."
        ),
        "objectives": [
            "Identify the nine classes of dangerous goods",
            "Read hazard labels, placards and UN numbers",
            "Apply segregation rules when loading vehicles",
            "Complete transport documentation correctly",
        ],
        "skills": [("OPS-HAZMAT", 2)],
        "duration_minutes": 480,
        "provider": "vendor",
        "vendor_name": "SafeWorks Training",
        "cost": 390,
        "status": "published",
    },
    {
        "title": "Risk Assessment for Supervisors",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Equips supervisors to write and review suitable and sufficient risk assessments for their area."
        ),
        "objectives": [
            "Identify hazards in a warehouse or transport activity",
            "Rate risks using the Northwind 5x5 risk matrix",
            "Apply the hierarchy of control to reduce risk",
            "Write and review a risk assessment using the standard template",
        ],
        "skills": [("OPS-RISK", 3), ("OPS-HSLAW", 2)],
        "duration_minutes": 360,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Lean Warehouse Fundamentals",
        "kind": "course",
        "format": "workshop",
        "summary": "Introduction to lean thinking in a warehouse environment with a hands-on simulation.",
        "objectives": [
            "Identify the eight wastes in warehouse processes",
            "Apply 5S to organise a work area",
            "Map a simple value stream from goods-in to dispatch",
            "Suggest improvements using standard work",
        ],
        "skills": [("OPS-LEAN", 2), ("OPS-INVENT", 2)],
        "duration_minutes": 720,
        "provider": "vendor",
        "vendor_name": "Gemba Partners",
        "cost": 520,
        "status": "published",
    },
    {
        "title": "Root Cause Problem Solving",
        "kind": "course",
        "format": "workshop",
        "summary": (
            "Use structured problem-solving tools to find and fix the real causes "
            "of recurring operational issues."
        ),
        "objectives": [
            "Define a problem clearly using data",
            "Use 5 Whys and fishbone diagrams to find root causes",
            "Select and test countermeasures",
            "Document the problem and solution on an A3 report",
        ],
        "skills": [("OPS-LEAN", 3), ("OPS-QUAL", 2)],
        "duration_minutes": 300,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Accurate Picking and Packing",
        "kind": "course",
        "format": "on_the_job",
        "summary": "Buddy-led training on the picking and packing standards for new warehouse operatives.",
        "objectives": [
            "Use a handheld scanner to confirm picks",
            "Pick orders in the correct sequence to the correct quantity",
            "Pack goods to prevent damage in transit",
            "Apply labels and documentation to customer specification",
        ],
        "skills": [("OPS-PICK", 2)],
        "duration_minutes": 240,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Cycle Counting and Stock Accuracy",
        "kind": "course",
        "format": "on_the_job",
        "summary": "On-the-job training on cycle counting and investigating stock discrepancies.",
        "objectives": [
            "Perform a cycle count following the standard procedure",
            "Investigate and record stock discrepancies",
            "Explain how stock inaccuracies affect customers and costs",
        ],
        "skills": [("OPS-INVENT", 2)],
        "duration_minutes": 180,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Route Planning and Load Optimisation",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "Plan efficient multi-drop routes and vehicle loads using the transport management system."
        ),
        "objectives": [
            "Build multi-drop routes that respect delivery windows",
            "Optimise vehicle fill while staying within weight limits",
            "Account for driver hours regulations in route plans",
            "Compare route options on cost and emissions",
        ],
        "skills": [("OPS-FLEET", 3)],
        "duration_minutes": 480,
        "provider": "vendor",
        "vendor_name": "RouteLogic Academy",
        "cost": 480,
        "status": "published",
    },
    {
        "title": "Customs Procedures and Incoterms",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "Covers import and export procedures, customs declarations and "
            "Incoterms for UK-EU and international shipments."
        ),
        "objectives": [
            "Explain the main customs procedures for import and export",
            "Select the appropriate Incoterm for a shipment",
            "Classify goods using commodity codes",
            "Prepare the documents needed for customs clearance",
        ],
        "skills": [("OPS-CUSTOMS", 3)],
        "duration_minutes": 600,
        "provider": "vendor",
        "vendor_name": "Clearview Compliance",
        "cost": 560,
        "status": "published",
    },
    {
        "title": "ISO 9001 Internal Auditor",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Two-day course qualifying participants to carry out internal quality audits against ISO 9001."
        ),
        "objectives": [
            "Explain the structure and requirements of ISO 9001",
            "Plan an internal audit using a risk-based approach",
            "Gather objective evidence through interviews and observation",
            "Write clear audit findings and nonconformity reports",
        ],
        "skills": [("OPS-QUAL", 3), ("COM-AUDIT", 2)],
        "duration_minutes": 1200,
        "provider": "vendor",
        "vendor_name": "Clearview Compliance",
        "cost": 980,
        "status": "published",
    },
    {
        "title": "Incident Investigation Techniques",
        "kind": "course",
        "format": "workshop",
        "summary": (
            "Learn to investigate accidents and near misses thoroughly so that the "
            "same thing does not happen again."
        ),
        "objectives": [
            "Secure the scene and gather evidence after an incident",
            "Interview witnesses effectively and fairly",
            "Identify immediate, underlying and root causes",
            "Write an investigation report with actionable recommendations",
        ],
        "skills": [("OPS-INCIDENT", 3)],
        "duration_minutes": 300,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "IOSH Managing Safely",
        "kind": "course",
        "format": "blended",
        "summary": (
            "Internationally recognised certificate for managers and supervisors, "
            "covering risk, hazards and legal responsibilities."
        ),
        "objectives": [
            "Explain managers' legal and moral responsibilities for health and safety",
            "Assess and control risks in your area",
            "Investigate incidents and learn from them",
            "Measure health and safety performance",
        ],
        "skills": [("OPS-HSLAW", 3), ("OPS-RISK", 3)],
        "duration_minutes": 1440,
        "provider": "vendor",
        "vendor_name": "SafeWorks Training",
        "cost": 620,
        "status": "published",
    },
    {
        "title": "Reducing Carbon in Transport Operations",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "Practical ways to cut fuel use and emissions across the Northwind "
            "fleet and subcontracted transport."
        ),
        "objectives": [
            "Explain how Northwind measures transport emissions",
            "Identify the biggest drivers of fuel consumption",
            "Plan routes and loads to reduce empty running",
            "Use eco-driving data to coach drivers",
        ],
        "skills": [("OPS-ENV", 2), ("OPS-FLEET", 2)],
        "duration_minutes": 180,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "draft",
    },
    {
        "title": "Negotiation Skills for Account Managers",
        "kind": "course",
        "format": "classroom",
        "summary": "Two-day negotiation programme with role-plays based on real logistics contract renewals.",
        "objectives": [
            "Prepare a negotiation plan including BATNA and walk-away point",
            "Use trading concessions to protect margin",
            "Recognise and respond to common buyer tactics",
            "Close a negotiation and confirm agreements in writing",
        ],
        "skills": [("COM-NEGOT", 3)],
        "duration_minutes": 840,
        "provider": "vendor",
        "vendor_name": "Northstar Sales Institute",
        "cost": 850,
        "status": "published",
    },
    {
        "title": "Strategic Account Management",
        "kind": "course",
        "format": "blended",
        "summary": (
            "Develop account plans that grow and protect Northwind's most important customer relationships."
        ),
        "objectives": [
            "Map decision-makers and influencers in a customer organisation",
            "Build a strategic account plan with growth objectives",
            "Run effective quarterly business reviews",
            "Identify and mitigate account retention risks",
        ],
        "skills": [("COM-ACCMGMT", 3)],
        "duration_minutes": 960,
        "provider": "vendor",
        "vendor_name": "Northstar Sales Institute",
        "cost": 1100,
        "status": "published",
    },
    {
        "title": "Consultative Selling",
        "kind": "course",
        "format": "workshop",
        "summary": (
            "Move from selling services to solving supply chain problems with a consultative sales approach."
        ),
        "objectives": [
            "Research a prospect's supply chain challenges before a first meeting",
            "Use open questions to uncover customer needs",
            "Position Northwind services as solutions to specific business problems",
            "Qualify opportunities using the MEDDIC framework",
        ],
        "skills": [("COM-PROSPECT", 3), ("COM-NEGOT", 2)],
        "duration_minutes": 720,
        "provider": "vendor",
        "vendor_name": "Northstar Sales Institute",
        "cost": 720,
        "status": "published",
    },
    {
        "title": "Writing Winning Tender Responses",
        "kind": "course",
        "format": "workshop",
        "summary": "Improve win rates by writing clear, compliant and customer-focused tender responses.",
        "objectives": [
            "Analyse a tender to identify evaluation criteria",
            "Plan a response that addresses every requirement",
            "Write benefit-led answers supported by evidence",
            "Review a response for compliance and clarity",
        ],
        "skills": [("COM-PROPOSAL", 3)],
        "duration_minutes": 360,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Customer Service Excellence",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Core training for customer service advisors on delivering consistently"
            " excellent service across phone, email and portal."
        ),
        "objectives": [
            "Explain what customers expect at each stage of a shipment",
            "Use positive language and active listening on calls",
            "Resolve queries at first contact where possible",
            "Log every interaction accurately in the CRM",
            "Follow up proactively on delayed shipments",
        ],
        "skills": [("COM-CUSTSVC", 3), ("COM-COMPLAINT", 2)],
        "duration_minutes": 420,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Handling Difficult Customer Calls",
        "kind": "course",
        "format": "virtual",
        "summary": "Techniques for staying calm and in control when customers are angry, upset or demanding.",
        "objectives": [
            "Recognise emotional triggers in yourself and the customer",
            "Use de-escalation techniques to calm a conversation",
            "Set boundaries while remaining professional",
            "Agree a clear resolution and next steps",
        ],
        "skills": [("COM-COMPLAINT", 3)],
        "duration_minutes": 180,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Pricing Logistics Contracts",
        "kind": "course",
        "format": "classroom",
        "summary": (
            "Build prices for warehousing and transport contracts from cost drivers"
            " and understand the impact on margin."
        ),
        "objectives": [
            "Identify the main cost drivers in warehousing and transport",
            "Build an open-book cost model for a contract",
            "Calculate gross margin and contribution for a deal",
            "Explain the risks of fixed versus variable pricing",
        ],
        "skills": [("COM-PRICING", 3)],
        "duration_minutes": 360,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Contract Management Essentials",
        "kind": "course",
        "format": "virtual",
        "summary": "Manage customer and supplier contracts effectively from signature to renewal.",
        "objectives": [
            "Identify key terms, service levels and obligations in a contract",
            "Track performance against service level agreements",
            "Manage contract changes and variations properly",
            "Prepare for contract renewal or exit",
        ],
        "skills": [("COM-CONTRACT", 2)],
        "duration_minutes": 480,
        "provider": "vendor",
        "vendor_name": "Clearview Compliance",
        "cost": 540,
        "status": "published",
    },
    {
        "title": "Finance for Non-Finance Managers",
        "kind": "course",
        "format": "virtual",
        "summary": (
            "Demystifies budgets, P&L and cash for managers who are responsible for"
            " costs but are not finance specialists."
        ),
        "objectives": [
            "Read a profit and loss statement and balance sheet",
            "Explain the difference between profit and cash",
            "Manage departmental spend against budget",
            "Build a simple business case for an investment",
        ],
        "skills": [("COM-BUDGET", 2), ("COM-FINREP", 1)],
        "duration_minutes": 420,
        "provider": "vendor",
        "vendor_name": "Brightpath Learning",
        "cost": 490,
        "status": "published",
    },
    {
        "title": "Budgeting and Forecasting Workshop",
        "kind": "course",
        "format": "workshop",
        "summary": "Hands-on workshop for budget holders ahead of the annual planning cycle.",
        "objectives": [
            "Build a departmental budget using driver-based assumptions",
            "Prepare a rolling forecast and explain changes",
            "Analyse variances between actuals and budget",
            "Present budget requests with a clear rationale",
        ],
        "skills": [("COM-BUDGET", 3)],
        "duration_minutes": 300,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "draft",
    },
    {
        "title": "Presenting with Impact",
        "kind": "course",
        "format": "workshop",
        "summary": (
            "Build confidence and structure to present clearly to customers, senior leaders and teams."
        ),
        "objectives": [
            "Structure a presentation around a clear key message",
            "Design simple, readable slides",
            "Use voice and body language to engage an audience",
            "Handle questions and challenges confidently",
        ],
        "skills": [("COM-PRESENT", 3)],
        "duration_minutes": 420,
        "provider": "vendor",
        "vendor_name": "Brightpath Learning",
        "cost": 420,
        "status": "published",
    },
    {
        "title": "Information Security Essentials",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Mandatory annual module covering the security behaviours every "
            "Northwind employee needs to protect customer and company information."
        ),
        "objectives": [
            "Recognise common cyber threats including phishing and ransomware",
            "Create and manage strong passwords and use multi-factor authentication",
            "Handle and classify information according to the Northwind policy",
            "Report a suspected security incident to the IT Service Desk",
        ],
        "skills": [("DIG-SECAWARE", 2)],
        "duration_minutes": 45,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Fire Safety Awareness",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Mandatory module on fire prevention and what to do if the alarm sounds at any Northwind site."
        ),
        "objectives": [
            "Identify common fire hazards in warehouses and offices",
            "Explain the fire triangle and how fires spread",
            "Follow the evacuation procedure for your site",
            "Locate fire exits, call points and assembly points",
        ],
        "skills": [("OPS-FIRE", 1)],
        "duration_minutes": 30,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Anti-Bribery and Corruption",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Mandatory compliance module explaining bribery laws and Northwind's zero-tolerance approach."
        ),
        "objectives": [
            "Explain the key requirements of the UK Bribery Act and equivalent EU laws",
            "Recognise red flags involving agents, customs officials and customers",
            "Apply the gifts and hospitality policy",
            "Report concerns through the Speak Up channel",
        ],
        "skills": [("COM-ETHICS", 2)],
        "duration_minutes": 40,
        "provider": "vendor",
        "vendor_name": "Clearview Compliance",
        "cost": 25,
        "status": "published",
    },
    {
        "title": "Data Protection for Managers",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "GDPR responsibilities for people managers, covering employee records, "
            "subject access requests and breaches."
        ),
        "objectives": [
            "Explain managers' responsibilities under GDPR",
            "Handle employee personal data lawfully and securely",
            "Respond correctly to a subject access request",
            "Recognise and report a personal data breach within 24 hours",
            "Apply retention rules to HR records",
        ],
        "skills": [("DIG-DATAPROT", 3)],
        "duration_minutes": 60,
        "provider": "vendor",
        "vendor_name": "Clearview Compliance",
        "cost": 35,
        "status": "published",
    },
    {
        "title": "Data Protection Basics (GDPR)",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Mandatory introduction to data protection principles for all employees.",
        "objectives": [
            "Explain what counts as personal data",
            "Describe the seven data protection principles",
            "Share personal data only when there is a lawful basis",
            "Report a suspected data breach",
        ],
        "skills": [("DIG-DATAPROT", 1)],
        "duration_minutes": 30,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Manual Handling Refresher",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Annual refresher on safe lifting and handling for operational staff.",
        "objectives": [
            "Recall the TILE risk assessment approach",
            "Identify poor lifting postures in example scenarios",
            "Choose appropriate handling aids for common tasks",
        ],
        "skills": [("OPS-MANUAL", 1)],
        "duration_minutes": 25,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Phishing and Social Engineering",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Interactive scenarios that teach you to spot phishing emails, vishing "
            "calls and fake delivery notifications."
        ),
        "objectives": [
            "Identify the warning signs of a phishing email",
            "Recognise social engineering tactics used by phone and in person",
            "Use the Report Phishing button in Outlook",
        ],
        "skills": [("DIG-SECAWARE", 2)],
        "duration_minutes": 20,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Health and Safety Induction",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Mandatory induction module for all new starters covering site rules, hazards and reporting."
        ),
        "objectives": [
            "Explain your personal responsibilities for health and safety",
            "Follow site traffic management and PPE rules",
            "Identify the main hazards in your workplace",
            "Report accidents, near misses and hazards",
        ],
        "skills": [("OPS-HSLAW", 1), ("OPS-INCIDENT", 1)],
        "duration_minutes": 45,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Reporting Near Misses and Incidents",
        "kind": "elearning",
        "format": "video",
        "summary": (
            "Short video explaining why near-miss reporting matters and how to log "
            "a report in the safety app."
        ),
        "objectives": [
            "Explain the difference between a near miss and an incident",
            "Log a near-miss report in the safety app",
            "Describe what happens after a report is submitted",
        ],
        "skills": [("OPS-INCIDENT", 2)],
        "duration_minutes": 15,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Code of Conduct and Speak Up",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Introduces the Northwind Code of Conduct and how to raise concerns safely.",
        "objectives": [
            "Describe the main principles of the Northwind Code of Conduct",
            "Recognise situations that may involve a conflict of interest",
            "Use the confidential Speak Up line to raise concerns",
        ],
        "skills": [("COM-ETHICS", 1)],
        "duration_minutes": 30,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Modern Slavery and Supply Chain Ethics",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Understand modern slavery risks in logistics and subcontracted labour and how to respond."
        ),
        "objectives": [
            "Recognise indicators of modern slavery and forced labour",
            "Explain Northwind's supplier due diligence requirements",
            "Report concerns about a supplier or agency",
        ],
        "skills": [("COM-ETHICS", 2), ("COM-PROCURE", 1)],
        "duration_minutes": 30,
        "provider": "vendor",
        "vendor_name": "Clearview Compliance",
        "cost": 20,
        "status": "published",
    },
    {
        "title": "Sanctions and Export Controls",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Explains trade sanctions, embargoes and dual-use controls for staff "
            "handling international shipments."
        ),
        "objectives": [
            "Explain how sanctions and export controls apply to logistics",
            "Screen parties against sanctions lists",
            "Identify potential dual-use goods",
            "Escalate a potential sanctions breach",
        ],
        "skills": [("OPS-CUSTOMS", 2)],
        "duration_minutes": 45,
        "provider": "vendor",
        "vendor_name": "Clearview Compliance",
        "cost": 30,
        "status": "published",
    },
    {
        "title": "Equality, Diversity and Inclusion at Work",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Mandatory module on equal treatment, respect at work and Northwind's EDI commitments.",
        "objectives": [
            "Explain the protected characteristics under equality law",
            "Recognise harassment, bullying and discrimination",
            "Describe how to support an inclusive workplace",
        ],
        "skills": [("LDR-INCL", 1)],
        "duration_minutes": 40,
        "provider": "vendor",
        "vendor_name": "Brightpath Learning",
        "cost": 15,
        "status": "published",
    },
    {
        "title": "Unconscious Bias",
        "kind": "elearning",
        "format": "video",
        "summary": "Video-based module on how unconscious bias affects decisions at work.",
        "objectives": [
            "Explain what unconscious bias is",
            "Identify common types of bias in workplace decisions",
            "Use simple techniques to reduce the impact of bias",
        ],
        "skills": [("LDR-INCL", 2)],
        "duration_minutes": 30,
        "provider": "vendor",
        "vendor_name": "Brightpath Learning",
        "cost": 15,
        "status": "retired",
    },
    {
        "title": "Wellbeing and Resilience",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Practical techniques for managing pressure and looking after your "
            "wellbeing, especially on night shifts."
        ),
        "objectives": [
            "Recognise your own early signs of stress",
            "Use practical techniques to manage pressure",
            "Access support through the Employee Assistance Programme",
        ],
        "skills": [("LDR-WELL", 1)],
        "duration_minutes": 30,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Introduction to Dangerous Goods",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Foundation module for warehouse staff who may come into contact with dangerous goods.",
        "objectives": [
            "Recognise dangerous goods labels and markings",
            "Explain basic segregation and storage rules",
            "Respond correctly to a damaged dangerous goods package",
        ],
        "skills": [("OPS-HAZMAT", 1)],
        "duration_minutes": 60,
        "provider": "vendor",
        "vendor_name": "SafeWorks Training",
        "cost": 45,
        "status": "published",
    },
    {
        "title": "Environmental Awareness in the Warehouse",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "How everyday actions in the warehouse affect energy use, waste and Northwind's carbon targets."
        ),
        "objectives": [
            "Explain Northwind's environmental commitments",
            "Segregate waste correctly for recycling",
            "Identify ways to reduce energy use on site",
        ],
        "skills": [("OPS-ENV", 1)],
        "duration_minutes": 25,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Getting Started with Skype for Business",
        "kind": "elearning",
        "format": "video",
        "summary": "Legacy introduction to Skype for Business calls and meetings.",
        "objectives": [
            "Set up and join a Skype for Business meeting",
            "Share your screen during a call",
            "Update your presence status",
        ],
        "skills": [("DIG-COLLAB", 1)],
        "duration_minutes": 20,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "retired",
    },
    {
        "title": "Working Smarter with SharePoint and OneDrive",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Store, share and co-author documents effectively across sites using SharePoint and OneDrive."
        ),
        "objectives": [
            "Choose between OneDrive, Teams and SharePoint for storing files",
            "Share files securely with internal and external colleagues",
            "Co-author documents and use version history",
            "Organise a team site for easy navigation",
        ],
        "skills": [("DIG-COLLAB", 2)],
        "duration_minutes": 40,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Excel Essentials",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Self-paced introduction to Excel for colleagues who are new to spreadsheets.",
        "objectives": [
            "Enter and format data in a worksheet",
            "Use basic formulas such as SUM, AVERAGE and IF",
            "Sort and filter a list of data",
            "Create a simple chart",
        ],
        "skills": [("DIG-EXCEL", 1)],
        "duration_minutes": 90,
        "provider": "vendor",
        "vendor_name": "Brightpath Learning",
        "cost": 29,
        "status": "published",
    },
    {
        "title": "Pivot Tables and Lookups",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Intermediate Excel module on summarising and combining data.",
        "objectives": [
            "Build and customise a pivot table",
            "Combine data from two tables using XLOOKUP",
            "Use slicers to filter pivot tables interactively",
        ],
        "skills": [("DIG-EXCEL", 3)],
        "duration_minutes": 75,
        "provider": "vendor",
        "vendor_name": "Brightpath Learning",
        "cost": 29,
        "status": "published",
    },
    {
        "title": "Introduction to Data Literacy",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Build confidence in reading, questioning and using data in everyday decisions.",
        "objectives": [
            "Explain common measures such as averages, percentages and trends",
            "Read a chart critically and spot misleading visuals",
            "Ask good questions about where data comes from",
        ],
        "skills": [("DIG-VIZ", 1), ("DIG-EXCEL", 1)],
        "duration_minutes": 45,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Responsible Use of AI Tools",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Covers Northwind's rules for using AI assistants and what data must never be entered into them."
        ),
        "objectives": [
            "Explain the benefits and risks of AI assistants",
            "Identify data that must not be shared with AI tools",
            "Check AI-generated content before using it",
        ],
        "skills": [("DIG-AI", 1), ("DIG-DATAPROT", 1)],
        "duration_minutes": 30,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Git and Code Review Basics",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Foundation module on version control and the Northwind pull-request workflow.",
        "objectives": [
            "Create branches, commits and pull requests with Git",
            "Resolve a simple merge conflict",
            "Give constructive comments in a code review",
        ],
        "skills": [("DIG-DEVOPS", 1), ("DIG-TEST", 1)],
        "duration_minutes": 60,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "OWASP Top 10 for Developers",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Interactive module covering the OWASP Top 10 web application risks with code examples.",
        "objectives": [
            "Describe each of the OWASP Top 10 risks",
            "Identify vulnerable code patterns in examples",
            "Apply the recommended mitigation for each risk",
        ],
        "skills": [("DIG-SECENG", 2)],
        "duration_minutes": 120,
        "provider": "vendor",
        "vendor_name": "CodeCraft Academy",
        "cost": 60,
        "status": "published",
    },
    {
        "title": "Containers and Kubernetes Primer",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Self-paced labs introducing Docker containers and running workloads on Kubernetes.",
        "objectives": [
            "Build and run a container image with Docker",
            "Deploy an application to a Kubernetes cluster",
            "Configure health checks and resource limits",
            "Troubleshoot a failing pod",
        ],
        "skills": [("DIG-CLOUD", 3), ("DIG-DEVOPS", 2)],
        "duration_minutes": 240,
        "provider": "vendor",
        "vendor_name": "CodeCraft Academy",
        "cost": 80,
        "status": "draft",
    },
    {
        "title": "Kanban for Teams",
        "kind": "elearning",
        "format": "video",
        "summary": "Short video series on visualising work and limiting work in progress with Kanban boards.",
        "objectives": [
            "Set up a Kanban board for your team's workflow",
            "Apply work-in-progress limits",
            "Use flow metrics to spot bottlenecks",
        ],
        "skills": [("DIG-AGILE", 1), ("OPS-LEAN", 1)],
        "duration_minutes": 30,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "WMS Navigation Basics",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Simulation-based introduction to the warehouse management system for new operatives.",
        "objectives": [
            "Log in and navigate the WMS handheld menus",
            "Receive and put away goods using the WMS",
            "Confirm picks and report short picks",
        ],
        "skills": [("DIG-WMS", 1)],
        "duration_minutes": 40,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "CRM Essentials: Logging Opportunities",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Learn how to record accounts, contacts and opportunities in the Northwind CRM.",
        "objectives": [
            "Create and update account and contact records",
            "Log a new opportunity with the correct stage and value",
            "Record calls, meetings and follow-up tasks",
        ],
        "skills": [("COM-CRM", 2)],
        "duration_minutes": 45,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Pipeline Hygiene in the CRM",
        "kind": "elearning",
        "format": "video",
        "summary": "Short video on keeping your pipeline accurate so forecasts can be trusted.",
        "objectives": [
            "Review your pipeline weekly for stale opportunities",
            "Update close dates and probabilities realistically",
            "Use pipeline reports to prioritise your week",
        ],
        "skills": [("COM-CRM", 3), ("COM-PROSPECT", 2)],
        "duration_minutes": 20,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Procurement Policy and Purchase Orders",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Explains when and how to raise purchase orders and run competitive quotes.",
        "objectives": [
            "Explain the purchasing thresholds and approval levels",
            "Raise a purchase order in the finance system",
            "Run a three-quote process for new suppliers",
            "Onboard a supplier following due diligence checks",
        ],
        "skills": [("COM-PROCURE", 2)],
        "duration_minutes": 35,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Expenses and Purchase Card Policy",
        "kind": "elearning",
        "format": "self_paced",
        "summary": (
            "Legacy module on the previous expenses process, replaced by the new expenses app guidance."
        ),
        "objectives": [
            "Submit an expense claim with receipts",
            "Use a purchase card within agreed limits",
            "Identify non-reimbursable expenses",
        ],
        "skills": [("COM-BUDGET", 1)],
        "duration_minutes": 20,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "retired",
    },
    {
        "title": "Understanding the Management Accounts",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Walks budget holders through the monthly management accounts pack.",
        "objectives": [
            "Navigate the monthly management accounts pack",
            "Interpret key KPIs such as EBITDA and cost per pallet",
            "Explain the main variances in your cost centre",
        ],
        "skills": [("COM-FINREP", 2)],
        "duration_minutes": 45,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Internal Controls Fundamentals",
        "kind": "elearning",
        "format": "self_paced",
        "summary": "Introduction to internal control concepts for finance, procurement and operations staff.",
        "objectives": [
            "Explain the purpose of internal controls",
            "Distinguish preventive and detective controls",
            "Describe segregation of duties",
            "Recognise common control weaknesses",
        ],
        "skills": [("COM-AUDIT", 1)],
        "duration_minutes": 60,
        "provider": "vendor",
        "vendor_name": "Clearview Compliance",
        "cost": 40,
        "status": "published",
    },
    {
        "title": "Safe Loading and Load Securing",
        "kind": "elearning",
        "format": "video",
        "summary": (
            "Video module on distributing and securing loads on trailers to prevent shifting in transit."
        ),
        "objectives": [
            "Explain how load shift causes accidents",
            "Distribute weight correctly across axles",
            "Select and apply appropriate restraints",
        ],
        "skills": [("OPS-FLEET", 1), ("OPS-MANUAL", 1)],
        "duration_minutes": 30,
        "provider": "vendor",
        "vendor_name": "SafeWorks Training",
        "cost": 25,
        "status": "published",
    },
    {
        "title": "Pre-Shift Forklift Inspection Checklist",
        "kind": "resource",
        "format": "reading",
        "summary": "Printable checklist for the daily pre-use inspection of counterbalance and reach trucks.",
        "objectives": [
            "Check tyres, forks, chains and hydraulics before use",
            "Test brakes, steering, horn and lights",
            "Record defects and take a faulty truck out of service",
        ],
        "skills": [("OPS-FORK", 2)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "One-to-One Meeting Template",
        "kind": "resource",
        "format": "reading",
        "summary": "A simple template for structuring regular one-to-ones with team members.",
        "objectives": [
            "Plan a one-to-one agenda with your team member",
            "Track objectives, wellbeing and development in one place",
            "Record agreed actions",
        ],
        "skills": [("LDR-PERF", 1), ("LDR-COACH", 1)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "The GROW Coaching Model",
        "kind": "resource",
        "format": "reading",
        "summary": "A short guide to the GROW model with example questions for each stage.",
        "objectives": [
            "Describe the four stages of the GROW model",
            "Select example questions for each stage",
            "Use GROW in an informal coaching conversation",
        ],
        "skills": [("LDR-COACH", 1)],
        "duration_minutes": 15,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "SBI Feedback Quick Guide",
        "kind": "resource",
        "format": "reading",
        "summary": "One-page job aid for structuring feedback using Situation, Behaviour, Impact.",
        "objectives": [
            "Structure feedback using Situation, Behaviour and Impact",
            "Avoid judgemental language when describing behaviour",
            "Close a feedback conversation with an agreed next step",
        ],
        "skills": [("LDR-FEEDBACK", 1)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Delegation Planner",
        "kind": "resource",
        "format": "reading",
        "summary": "A worksheet to help you decide what to delegate, to whom, and how much support to give.",
        "objectives": [
            "List tasks you could delegate",
            "Match each task to a team member's development goals",
            "Plan check-in points for each delegated task",
        ],
        "skills": [("LDR-DELEG", 1)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Decision-Making Under Uncertainty",
        "kind": "resource",
        "format": "reading",
        "summary": (
            "Article on practical techniques for making good decisions when information is incomplete."
        ),
        "objectives": [
            "Explain common biases that affect decisions",
            "Use a pre-mortem to test a decision",
            "Decide when to act and when to gather more information",
        ],
        "skills": [("LDR-DECIDE", 2)],
        "duration_minutes": 20,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "draft",
    },
    {
        "title": "Running Effective Team Huddles",
        "kind": "resource",
        "format": "video",
        "summary": "Short video showing how to run a focused ten-minute shift huddle.",
        "objectives": [
            "Plan a ten-minute huddle agenda",
            "Share safety, performance and priorities clearly",
            "Encourage the team to raise issues",
        ],
        "skills": [("LDR-COMMS", 1), ("LDR-FACIL", 1)],
        "duration_minutes": 12,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Interview Question Bank",
        "kind": "resource",
        "format": "reading",
        "summary": "A bank of competency-based interview questions mapped to Northwind's job profiles.",
        "objectives": [
            "Select questions that match the job profile",
            "Use follow-up probes to test evidence",
            "Apply the standard scoring guide",
        ],
        "skills": [("LDR-RECRUIT", 1)],
        "duration_minutes": 15,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Change Communication Toolkit",
        "kind": "resource",
        "format": "reading",
        "summary": "Templates and tips for communicating change to your team.",
        "objectives": [
            "Plan key messages for each stakeholder group",
            "Prepare answers to likely questions",
            "Use the briefing template to cascade updates",
        ],
        "skills": [("LDR-CHANGE", 2)],
        "duration_minutes": 20,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Shift Rota Planning Guide",
        "kind": "resource",
        "format": "reading",
        "summary": "Guide to building fair, compliant shift rotas for warehouse and transport teams.",
        "objectives": [
            "Apply minimum rest and maximum working-time rules",
            "Balance weekend and night shifts fairly",
            "Use the rota template to plan four weeks ahead",
        ],
        "skills": [("LDR-PLAN", 1)],
        "duration_minutes": 15,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Project Kick-off Checklist",
        "kind": "resource",
        "format": "reading",
        "summary": "Checklist of what to agree at the start of any project.",
        "objectives": [
            "Confirm objectives, scope and sponsor",
            "Agree roles and responsibilities",
            "Set up the risk log and reporting rhythm",
        ],
        "skills": [("LDR-PROJ", 1)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Northwind Strategy on a Page",
        "kind": "resource",
        "format": "reading",
        "summary": (
            "A one-page summary of Northwind's strategic priorities and what they mean for each department."
        ),
        "objectives": [
            "Describe Northwind's four strategic priorities",
            "Explain how your team contributes to the strategy",
            "Use the strategy to prioritise team objectives",
        ],
        "skills": [("LDR-STRAT", 1)],
        "duration_minutes": 15,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Spotting a Phishing Email",
        "kind": "resource",
        "format": "video",
        "summary": "Five-minute video walking through real phishing emails received by Northwind staff.",
        "objectives": [
            "Identify suspicious senders and links",
            "Recognise urgency and pressure tactics",
            "Report a phishing email in one click",
        ],
        "skills": [("DIG-SECAWARE", 1)],
        "duration_minutes": 5,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Data Breach Reporting Procedure",
        "kind": "resource",
        "format": "reading",
        "summary": "Step-by-step procedure for reporting a suspected personal data breach.",
        "objectives": [
            "Recognise what counts as a personal data breach",
            "Report a breach to the Data Protection Officer immediately",
            "Preserve evidence and contain the breach",
        ],
        "skills": [("DIG-DATAPROT", 2), ("OPS-INCIDENT", 1)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "SQL Cheat Sheet",
        "kind": "resource",
        "format": "reading",
        "summary": "Quick reference for the most common SQL statements and functions.",
        "objectives": [
            "Look up syntax for SELECT, JOIN and GROUP BY",
            "Use common date and string functions",
            "Avoid frequent query mistakes",
        ],
        "skills": [("DIG-SQL", 1)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Chart Chooser Guide",
        "kind": "resource",
        "format": "reading",
        "summary": "Guide to choosing the right chart type for your data and message.",
        "objectives": [
            "Select a chart type that matches your question",
            "Avoid misleading axes and clutter",
            "Use colour purposefully to highlight insights",
        ],
        "skills": [("DIG-VIZ", 2)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Architecture Decision Records Explained",
        "kind": "resource",
        "format": "reading",
        "summary": "Engineering guide to writing lightweight architecture decision records.",
        "objectives": [
            "Explain the purpose of architecture decision records",
            "Write an ADR using the team template",
            "Review and supersede outdated decisions",
        ],
        "skills": [("DIG-ARCH", 2)],
        "duration_minutes": 20,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Python Style Guide (Northwind Engineering)",
        "kind": "resource",
        "format": "reading",
        "summary": "Northwind's coding conventions for Python services and scripts.",
        "objectives": [
            "Apply naming and formatting conventions",
            "Use type hints consistently",
            "Run the standard linters before committing",
        ],
        "skills": [("DIG-PY", 1)],
        "duration_minutes": 20,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Fire Evacuation Procedure by Site",
        "kind": "resource",
        "format": "reading",
        "summary": "Site-specific evacuation procedures, assembly points and fire warden contacts.",
        "objectives": [
            "Locate the assembly point for your site",
            "Follow the evacuation procedure when the alarm sounds",
            "Identify your area fire wardens",
        ],
        "skills": [("OPS-FIRE", 1)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Spill Response Job Aid",
        "kind": "resource",
        "format": "reading",
        "summary": "Laminated job aid for responding to spills of oils, chemicals and dangerous goods.",
        "objectives": [
            "Assess a spill and keep people away",
            "Use the spill kit to contain a spill",
            "Dispose of contaminated materials correctly",
            "Report the spill to your supervisor",
        ],
        "skills": [("OPS-HAZMAT", 2), ("OPS-ENV", 1)],
        "duration_minutes": 5,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Safe Lifting Techniques Video",
        "kind": "resource",
        "format": "video",
        "summary": "Short demonstration of safe lifting and carrying techniques.",
        "objectives": [
            "Plan a lift before starting",
            "Keep the load close and avoid twisting",
            "Know when to ask for help or use an aid",
        ],
        "skills": [("OPS-MANUAL", 1)],
        "duration_minutes": 6,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Goods-In Quality Check Job Aid",
        "kind": "resource",
        "format": "reading",
        "summary": "Job aid for checking inbound deliveries against purchase orders and quality standards.",
        "objectives": [
            "Check delivered quantities against the advance shipping notice",
            "Inspect goods for damage and record exceptions",
            "Quarantine non-conforming stock",
        ],
        "skills": [("OPS-QUAL", 1), ("OPS-INVENT", 1)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Objection Handling Playbook",
        "kind": "resource",
        "format": "reading",
        "summary": "Proven responses to the most common objections in logistics sales conversations.",
        "objectives": [
            "Recognise the real concern behind an objection",
            "Use the acknowledge-explore-respond approach",
            "Answer common price and switching-risk objections",
        ],
        "skills": [("COM-NEGOT", 1), ("COM-PROSPECT", 1)],
        "duration_minutes": 20,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Complaint Escalation Flowchart",
        "kind": "resource",
        "format": "reading",
        "summary": "One-page flowchart showing when and how to escalate customer complaints.",
        "objectives": [
            "Classify a complaint by severity",
            "Escalate to the right team within the target time",
            "Keep the customer informed during escalation",
        ],
        "skills": [("COM-COMPLAINT", 1), ("COM-CUSTSVC", 1)],
        "duration_minutes": 5,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "Gifts and Hospitality Register Guide",
        "kind": "resource",
        "format": "reading",
        "summary": "How to record gifts and hospitality given or received in the register.",
        "objectives": [
            "Identify gifts and hospitality that must be recorded",
            "Apply the value thresholds and approval rules",
            "Complete the register entry correctly",
        ],
        "skills": [("COM-ETHICS", 1)],
        "duration_minutes": 10,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
    },
    {
        "title": "New Team Leader Pathway",
        "kind": "pathway",
        "format": "blended",
        "summary": (
            "A structured route for newly appointed team leaders covering the core "
            "people-management conversations."
        ),
        "objectives": [
            "Plan regular one-to-ones with each team member",
            "Give feedback that is specific and balanced",
            "Use coaching questions to develop your team",
            "Delegate work with clear outcomes",
        ],
        "skills": [("LDR-COACH", 2), ("LDR-FEEDBACK", 2), ("LDR-PERF", 2)],
        "duration_minutes": 1120,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
        "steps": [
            "One-to-One Meeting Template",
            "Giving Feedback that Lands",
            "Coaching Conversations for Team Leaders",
            "Delegating with Confidence",
            "Managing Performance Fairly",
        ],
    },
    {
        "title": "Warehouse Starter Pathway",
        "kind": "pathway",
        "format": "blended",
        "summary": "Everything a new warehouse operative needs in their first four weeks on site.",
        "objectives": [
            "Follow site safety rules from day one",
            "Lift and handle loads safely",
            "Pick and pack orders accurately using the WMS",
        ],
        "skills": [("OPS-PICK", 2), ("OPS-MANUAL", 2), ("DIG-WMS", 1)],
        "duration_minutes": 535,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
        "steps": [
            "Health and Safety Induction",
            "Fire Safety Awareness",
            "Manual Handling",
            "WMS Navigation Basics",
            "Accurate Picking and Packing",
        ],
    },
    {
        "title": "Forklift Driver Pathway",
        "kind": "pathway",
        "format": "blended",
        "summary": "From induction to certified forklift operator, including daily checks and load securing.",
        "objectives": [
            "Complete the site safety induction",
            "Carry out pre-use checks on a forklift",
            "Achieve forklift operator certification",
        ],
        "skills": [("OPS-FORK", 3), ("OPS-RISK", 1)],
        "duration_minutes": 2005,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
        "steps": [
            "Health and Safety Induction",
            "Pre-Shift Forklift Inspection Checklist",
            "Forklift Operator Certification",
            "Safe Loading and Load Securing",
        ],
    },
    {
        "title": "Data Analyst Pathway",
        "kind": "pathway",
        "format": "blended",
        "summary": "A progression route from spreadsheet user to confident data analyst.",
        "objectives": [
            "Analyse data confidently in Excel",
            "Query databases with SQL",
            "Build dashboards that answer business questions",
            "Automate analysis with Python",
        ],
        "skills": [("DIG-SQL", 2), ("DIG-VIZ", 3), ("DIG-PY", 2)],
        "duration_minutes": 2970,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
        "steps": [
            "Excel Essentials",
            "SQL Fundamentals",
            "Dashboard Design with Power BI",
            "Python for Data Analysis",
        ],
    },
    {
        "title": "Annual Compliance Pathway",
        "kind": "pathway",
        "format": "blended",
        "summary": "The mandatory compliance modules every employee completes each year.",
        "objectives": [
            "Complete all mandatory compliance modules",
            "Apply security, data protection and ethics policies in daily work",
            "Know how to raise a concern",
        ],
        "skills": [("DIG-SECAWARE", 2), ("COM-ETHICS", 2), ("DIG-DATAPROT", 1)],
        "duration_minutes": 175,
        "provider": "in_house",
        "vendor_name": "",
        "cost": 0,
        "status": "published",
        "steps": [
            "Information Security Essentials",
            "Data Protection Basics (GDPR)",
            "Anti-Bribery and Corruption",
            "Code of Conduct and Speak Up",
            "Fire Safety Awareness",
        ],
    },
]

FIRST_NAMES: list[str] = [
    "Anna",
    "Lukas",
    "Sophie",
    "Jan",
    "Emma",
    "Daan",
    "Julia",
    "Thomas",
    "Lena",
    "Pieter",
    "Chloé",
    "Mateusz",
    "Isabel",
    "Sven",
    "Noor",
    "Ahmed",
    "Fatima",
    "Oliver",
    "Amelia",
    "Jack",
    "Eva",
    "Marco",
    "Giulia",
    "Luca",
    "Sofia",
    "Pablo",
    "Lucía",
    "Javier",
    "Carmen",
    "Hugo",
    "Camille",
    "Louis",
    "Manon",
    "Théo",
    "Inès",
    "Finn",
    "Mia",
    "Jonas",
    "Hannah",
    "Felix",
    "Freya",
    "Erik",
    "Ingrid",
    "Lars",
    "Astrid",
    "Mikkel",
    "Aino",
    "Mikko",
    "Katarzyna",
    "Piotr",
    "Zofia",
    "Tomasz",
    "Petra",
    "Jakub",
    "Tereza",
    "Ondřej",
    "Dóra",
    "Bence",
    "Ioana",
    "Andrei",
    "Elena",
    "Nikos",
    "Maria",
    "Yusuf",
    "Elif",
    "Emre",
    "Priya",
    "Arjun",
    "Ravi",
    "Aisha",
    "Omar",
    "Leila",
    "Kwame",
    "Amara",
    "Chidi",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Daniel",
    "Sarah",
    "James",
    "Grace",
    "Connor",
    "Siobhan",
    "Niamh",
    "Rhys",
    "Cerys",
    "Bram",
    "Fleur",
    "Ruben",
    "Lotte",
    "Stijn",
    "Femke",
]

LAST_NAMES: list[str] = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "van Dijk",
    "Mulder",
    "de Boer",
    "Peeters",
    "Janssens",
    "Maes",
    "Claes",
    "Wouters",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Walsh",
    "O'Brien",
    "Murphy",
    "Kelly",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schulz",
    "Koch",
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Leroy",
    "Moreau",
    "Laurent",
    "Lefebvre",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "García",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Silva",
    "Santos",
    "Ferreira",
    "Costa",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Novák",
    "Svoboda",
    "Horváth",
    "Nagy",
    "Popescu",
    "Ionescu",
    "Papadopoulos",
    "Andersson",
    "Johansson",
    "Nielsen",
    "Hansen",
    "Larsen",
    "Virtanen",
    "Korhonen",
    "Öztürk",
    "Kaya",
    "Demir",
    "Khan",
    "Patel",
    "Singh",
    "Ahmed",
    "Hussain",
    "Mensah",
    "Okafor",
    "Chen",
    "Wang",
    "Tanaka",
    "Nakamura",
]
