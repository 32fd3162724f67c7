from bot import settings

settings.quiet_tools_by_default()  # before the CLI imports Rasa and TensorFlow

from bot.cli import main  # noqa: E402

raise SystemExit(main())
