# A UDP client as chapter 4 describes it: no bind() (the system picks the port on the first send); sends
# each line typed as one datagram and waits for the answer with a timeout, since UDP promises no delivery.
# Port and host come from argv.
import socket
import sys

porta = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
host = sys.argv[2] if len(sys.argv) > 2 else 'localhost'

cliente = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
cliente.settimeout(2.0)

try:
    while True:
        try:
            mensagem = input('Mensagem: ')
        except EOFError:
            break
        if mensagem.lower() == 'sair':
            break
        cliente.sendto(mensagem.encode('utf-8'), (host, porta))
        try:
            resposta, _ = cliente.recvfrom(2048)
        except socket.timeout:
            print('Sem resposta (UDP não garante entrega)')
            sys.exit(1)
        print(f'Resposta: {resposta.decode("utf-8")}')
finally:
    cliente.close()
