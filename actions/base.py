"""What every action that talks to the back office shares: one client, one way to fail politely."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.backoffice import BackOfficeClient, BackOfficeUnavailable, NotFound, Rejected

logger = logging.getLogger(__name__)


class BackOfficeAction(Action, ABC):
    """An action answering from the back office; subclasses implement :meth:`answer`."""

    @abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any],
        client: BackOfficeClient,
    ) -> List[EventType]:
        """Answer the customer; back-office failures are turned into polite replies by :meth:`run`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            return await self.answer(dispatcher, tracker, domain, BackOfficeClient.from_env())
        except BackOfficeUnavailable as error:
            logger.warning("back office unavailable in %s: %s", self.name(), error)
            dispatcher.utter_message(response="utter_backoffice_down")
        except NotFound:
            dispatcher.utter_message(response="utter_not_found")
        except Rejected as error:
            logger.info("back office rejected input in %s: %s", self.name(), error)
            dispatcher.utter_message(response="utter_rejected")
        return []
