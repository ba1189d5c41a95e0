# A UDP echo server as chapter 4 describes datagram sockets: bind() (a receiver must), then answer each
# datagram to its sender with the same bytes. Port (0: the system chooses) and host come from argv; the
# bound address is printed first.
import socket
import sys

porta = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
host = sys.argv[2] if len(sys.argv) > 2 else 'localhost'

servidor = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
servidor.bind((host, porta))
print(f'listening on {host}:{servidor.getsockname()[1]}', flush=True)

while True:
    dados, origem = servidor.recvfrom(2048)
    print(f'Recebido de {origem}: {dados.decode("utf-8", "replace")}', flush=True)
    servidor.sendto(dados, origem)
