"""A worker's Jupyter kernel and the one client every notebook it runs goes through. Imported only when a kernel
starts, so that a rerun answered from the manifests never loads jupyter_client.

Papermill (through nbclient) asks the kernel manager for a new client for each notebook and waits until it is ready:
a kernel_info round trip, then 0.2 s of silence on IOPub. On a warm kernel that is a fifth of a second of idle core
per report. Here the manager hands out one client, made ready once; nbclient leaves a client it did not make running
(it does not own the manager), and it reads only the replies and outputs of its own requests."""

from __future__ import annotations

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager


class KeptClient(BlockingKernelClient):
    """A client used for every notebook of a kernel: its channels start once and it is made ready once."""

    ready = False

    def start_channels(self, *args, **kwargs) -> None:
        if not self.channels_running:
            super().start_channels(*args, **kwargs)

    def wait_for_ready(self, timeout: float | None = None) -> None:
        if not self.ready:
            super().wait_for_ready(timeout)
            self.ready = True


class WarmKernelManager(KernelManager):
    """A kernel manager whose client() is always the same KeptClient."""

    kept: KeptClient | None = None

    def client(self, **kwargs) -> KeptClient:
        if self.kept is None:
            self.kept = super().client(**kwargs)
        return self.kept

    def close_client(self) -> None:
        if self.kept is not None:
            self.kept.stop_channels()
            self.kept = None


def manager(kernel_name: str) -> WarmKernelManager:
    return WarmKernelManager(kernel_name=kernel_name, client_factory=KeptClient)
